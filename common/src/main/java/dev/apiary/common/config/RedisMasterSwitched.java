package dev.apiary.common.config;

/**
 * Application event: under Sentinel, the master {@code masterName} moved from {@code from} to {@code to}
 * ({@code host:port}); common has already dropped its shared connection.
 */
public record RedisMasterSwitched(String masterName, String from, String to) {
}
