package dev.cast.api.model;

/**
 * @param state up | down (no heartbeat for a while)
 */
public record HostView(
    String name,
    String address,
    String state,
    String agentVersion,
    String registeredAt,
    String lastSeenAt,
    java.util.Map<String, String> labels,
    java.util.Map<String, Object> facts) {}
