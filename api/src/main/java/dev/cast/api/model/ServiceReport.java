package dev.cast.api.model;

/**
 * One service as an agent reports it ({@code PUT /v1/hosts/{name}/services}) and as {@code GET
 * /v1/apps/{app}/services/{service}} shows it per host.
 *
 * @param state running | starting | stopped | failed | disabled
 * @param health passing | warning | critical | unknown
 */
public record ServiceReport(
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
