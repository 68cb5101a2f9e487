package dev.cast.workflows.host;

/**
 * A supervised service on one host, as its supervisor sees it.
 *
 * @param state running | starting | stopped | failed | disabled
 * @param pid the process group leader, or null when not running
 * @param startedAt ISO-8601 instant the current process started, or null
 * @param restarts restarts by the supervisor since the service was last started on purpose
 * @param health passing | warning | critical | unknown
 * @param healthOutput the last check's output, short
 * @param healthSince ISO-8601 instant the health status last changed, or null
 */
public record ServiceStatus(
    String host,
    String app,
    String service,
    String version,
    String state,
    Long pid,
    String startedAt,
    int restarts,
    String health,
    String healthOutput,
    String healthSince,
    boolean enabled) {}
