package dev.cast.api.model;

import java.util.Map;

/**
 * A registered host.
 *
 * @param state up | down (no heartbeat for a while)
 * @param drained a drained host takes no new deploys
 * @param labels the labels its agent registered, e.g. {@code role: web}
 * @param freeDiskBytes free space on the file system of the agent's data dir, as of its last
 *     heartbeat (where releases are staged); null when the agent did not say
 * @param facts what its agent found: os, arch, cpus, memoryBytes, freeDiskBytes, agentVersion
 */
public record HostView(
    String name,
    String address,
    String state,
    boolean drained,
    String agentVersion,
    String registeredAt,
    String lastSeenAt,
    Map<String, String> labels,
    Long freeDiskBytes,
    Map<String, Object> facts) {}
