package dev.cast.api.model;

import java.util.List;

/**
 * {@code POST /v1/apps/{app}/rollback}.
 *
 * @param version the release to go back to; absent means the previous one
 * @param maxParallel hosts switched at once; absent means all at once
 */
public record RollbackBody(
    String version,
    List<String> hosts,
    String healthyDeadline,
    String reason,
    Integer maxParallel) {}
