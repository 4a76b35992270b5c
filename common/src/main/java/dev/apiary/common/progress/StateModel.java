package dev.apiary.common.progress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Forward-only states: steps in order, each step one or more states of the same rank, and which states are final.
 * A move is allowed only from a known, non-final state to a state of a higher rank, so a late or repeated update
 * never moves anything backwards and a final state sticks. One model serves every state family: a job
 * ({@code queued → rendering → done | failed | canceled}), an alert ({@code sending → done | canceled}) and a
 * delivery with several final outcomes, narrowed per channel with {@link #only(Collection)}.
 * The same rules run inside Redis: {@link #encoded()} for {@link JobStatusStore}'s hash and {@link #lua()} for
 * scripts that move states themselves.
 *
 * @param steps  states in forward order; the states of one step share a rank (a step's index)
 * @param finals states nothing moves out of
 */
public record StateModel(List<List<String>> steps, Set<String> finals) {

    public StateModel {
        steps = steps.stream().map(List::copyOf).toList();
        finals = Set.copyOf(finals);
        if (steps.isEmpty() || steps.stream().anyMatch(List::isEmpty)) throw new IllegalArgumentException("every step needs a state");
        Set<String> seen = new LinkedHashSet<>();
        for (List<String> step : steps) {
            for (String s : step) {
                if (s.isBlank() || s.contains(",") || s.contains("|") || s.contains("'") || s.contains("\\")) {
                    throw new IllegalArgumentException("state names must be plain words: " + s);
                }
                if (!seen.add(s)) throw new IllegalArgumentException("state " + s + " appears twice");
            }
        }
        if (!seen.containsAll(finals)) throw new IllegalArgumentException("final states must be among the steps");
    }

    /** Each state a step of its own, in this order. */
    public static StateModel of(List<String> ordered, Set<String> finals) {
        return new StateModel(ordered.stream().map(List::of).toList(), finals);
    }

    /** Starts a model: {@code StateModel.first("queued").then("sending").then("sent").thenFinal("delivered", "failed")}. */
    public static Builder first(String... states) {
        return new Builder().then(states);
    }

    /** The state a new item starts in: the first state of the first step. */
    public String initial() {
        return steps.getFirst().getFirst();
    }

    /** Every state, in rank order. */
    public List<String> states() {
        return steps.stream().flatMap(List::stream).toList();
    }

    /** The state's rank (its step's index), or -1 for null or a state this model does not know. */
    public int rank(String state) {
        if (state == null) return -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).contains(state)) return i;
        }
        return -1;
    }

    public boolean knows(String state) {
        return rank(state) >= 0;
    }

    public boolean isFinal(String state) {
        return finals.contains(state);
    }

    /** True when {@code from} is known and not final and {@code to} is known and of a higher rank. */
    public boolean canMove(String from, String to) {
        int f = rank(from);
        return f >= 0 && !isFinal(from) && rank(to) > f;
    }

    /**
     * The same ranks with only the given states (a family member: e.g. the states an SMS can reach out of every
     * delivery state). Steps left empty disappear; ranks of the rest stay comparable.
     */
    public StateModel only(Collection<String> states) {
        for (String s : states) {
            if (!knows(s)) throw new IllegalArgumentException("unknown state " + s);
        }
        List<List<String>> kept = steps.stream().map(step -> step.stream().filter(states::contains).toList())
                .filter(step -> !step.isEmpty()).toList();
        return new StateModel(kept, finals.stream().filter(states::contains).collect(Collectors.toSet()));
    }

    /** The steps as one string, {@code queued,rendering,done|failed|canceled}: what {@link JobStatusStore} keeps. */
    public String encoded() {
        return steps.stream().map(step -> String.join("|", step)).collect(Collectors.joining(","));
    }

    /**
     * Lua for a script that moves states itself: {@code rank(s)} (-1 for nil or unknown), {@code is_final(s)} and
     * {@code can_move(from, to)}, the same rules as this class. Prepend it to the script's text.
     */
    public String lua() {
        StringBuilder rank = new StringBuilder("local STATE_RANK = {");
        for (int i = 0; i < steps.size(); i++) {
            for (String s : steps.get(i)) rank.append("['").append(s).append("']=").append(i).append(", ");
        }
        StringBuilder fin = new StringBuilder("local STATE_FINAL = {");
        for (String s : states()) {
            if (isFinal(s)) fin.append("['").append(s).append("']=true, ");
        }
        return rank.append("}\n").append(fin).append("}\n").append("""
                local function rank(s) if s == nil or s == false then return -1 end return STATE_RANK[s] or -1 end
                local function is_final(s) return s ~= nil and STATE_FINAL[s] == true end
                local function can_move(from, to)
                  local f = rank(from)
                  return f >= 0 and not is_final(from) and rank(to) > f
                end
                """).toString();
    }

    /** Builds a model step by step. */
    public static final class Builder {
        private final List<List<String>> steps = new ArrayList<>();
        private final Set<String> finals = new LinkedHashSet<>();

        private Builder() {
        }

        /** A next step: these states share one rank above the previous step. */
        public Builder then(String... states) {
            steps.add(List.of(states));
            return this;
        }

        /** A next step whose states are all final. */
        public Builder thenFinal(String... states) {
            then(states);
            finals.addAll(List.of(states));
            return this;
        }

        /** Marks states of earlier steps final too. */
        public Builder alsoFinal(String... states) {
            finals.addAll(List.of(states));
            return this;
        }

        public StateModel build() {
            return new StateModel(steps, finals);
        }
    }
}
