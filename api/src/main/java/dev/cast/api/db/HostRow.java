package dev.cast.api.db;

public record HostRow(
    String name,
    String address,
    String agentVersion,
    long registeredAt,
    long lastSeenAt,
    String logsUrl,
    String labels,
    String facts,
    boolean drained) {}
