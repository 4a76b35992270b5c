package dev.apiary.alert.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.apiary.common.progress.StateModel;

/**
 * The states of a delivery, forward only: queued(0) → sending(1) → sent(2) → a final state(3). A change is applied
 * only when it raises the rank, so late or duplicated callbacks never move a delivery backwards and finals stick.
 * This enum is the one definition: the Redis Lua scripts that change states get their rank table from
 * {@link #MODEL} ({@link StateModel#lua()}).
 */
public enum DeliveryState {
    QUEUED("queued", 0),
    SENDING("sending", 1),
    /** The provider accepted it and gave an id: never sent again. */
    SENT("sent", 2),
    DELIVERED("delivered", 3),
    UNDELIVERED("undelivered", 3),
    FAILED("failed", 3),
    CANCELED("canceled", 3),
    OPTED_OUT("opted_out", 3),
    COMPLETED("completed", 3),
    BUSY("busy", 3),
    NO_ANSWER("no_answer", 3);

    /** The forward-only model of these states (common's helper for every state family). */
    public static final StateModel MODEL = model();

    private final String id;
    private final int rank;

    DeliveryState(String id, int rank) {
        this.id = id;
        this.rank = rank;
    }

    /** The name in Redis, the API and the callbacks' mapping. */
    public String id() {
        return id;
    }

    public int rank() {
        return rank;
    }

    public boolean isFinal() {
        return rank == 3;
    }

    /** The recipient got it (email delivered, SMS delivered, call answered). */
    public boolean reached() {
        return this == DELIVERED || this == COMPLETED;
    }

    /** True when going to {@code to} moves forward. */
    public boolean canMoveTo(DeliveryState to) {
        return to.rank > rank;
    }

    /** The state named {@code id}, or null for null or an unknown name. */
    public static DeliveryState of(String id) {
        if (id == null) {
            return null;
        }
        for (DeliveryState s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    public static Set<String> ids(java.util.function.Predicate<DeliveryState> which) {
        return Arrays.stream(values()).filter(which).map(DeliveryState::id).collect(Collectors.toUnmodifiableSet());
    }

    private static StateModel model() {
        List<List<String>> steps = new ArrayList<>();
        for (DeliveryState s : values()) {
            while (steps.size() <= s.rank) {
                steps.add(new ArrayList<>());
            }
            steps.get(s.rank).add(s.id);
        }
        return new StateModel(steps, ids(DeliveryState::isFinal));
    }
}
