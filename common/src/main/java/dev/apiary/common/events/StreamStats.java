package dev.apiary.common.events;

/**
 * One stream on this instance: its connected clients and the longest queue of events waiting for one of them
 * (a client whose queue reaches the stream's buffer is dropped).
 */
public record StreamStats(int clients, int maxBacklog) {
}
