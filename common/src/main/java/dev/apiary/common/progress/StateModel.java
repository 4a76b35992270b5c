package dev.apiary.common.progress;

import java.util.List;
import java.util.Set;

/**
 * The states of a job in forward order, and which of them are final. A change is allowed only from a
 * non-final state to a state later in the order, so a late or repeated update never moves a job backwards.
 */
public record StateModel(List<String> ordered, Set<String> finals) {

    public StateModel {
        ordered = List.copyOf(ordered);
        finals = Set.copyOf(finals);
        if (!ordered.containsAll(finals)) throw new IllegalArgumentException("final states must be in the order");
    }

    public static StateModel of(List<String> ordered, Set<String> finals) {
        return new StateModel(ordered, finals);
    }

    public boolean isFinal(String state) {
        return finals.contains(state);
    }

    /** The states from which {@code to} may be reached. */
    public List<String> allowedFrom(String to) {
        int idx = ordered.indexOf(to);
        if (idx < 0) throw new IllegalArgumentException("unknown state " + to);
        return ordered.subList(0, idx).stream().filter(s -> !finals.contains(s)).toList();
    }

    public boolean canMove(String from, String to) {
        return allowedFrom(to).contains(from);
    }
}
