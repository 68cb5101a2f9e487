package dev.cast.api.db;

import java.util.Map;

public record HostRow(
    String name,
    String address,
    String agentVersion,
    long registeredAt,
    long lastSeenAt,
    String logsUrl,
    @JsonColumn Map<String, String> labels,
    @JsonColumn Map<String, Object> facts,
    boolean drained) {}
