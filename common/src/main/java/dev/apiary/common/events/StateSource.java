package dev.apiary.common.events;

import java.util.Optional;

/**
 * Where a {@link StateStreams} family reads its state: a Redis pub/sub channel that signals a change of an id
 * (any instance may publish it) and a read of the whole current state. Each signal leads to a fresh read, so a
 * missed or repeated signal loses nothing.
 */
public interface StateSource<V> {

    /**
     * The channel that signals a change of {@code id}. Name it with the id's Redis hash tag
     * ({@code apiary:alert:{al1}:events}), so it can later move to sharded pub/sub on Redis Cluster.
     */
    String channel(String id);

    /** The current state of {@code id}, or empty when there is none (never existed, expired, deleted). */
    Optional<Snapshot<V>> read(String id);
}
