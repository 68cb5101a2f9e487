package dev.cast.api.model;

import java.util.List;

/**
 * {@code POST /v1/apps/{app}/rollback}.
 *
 * @param version the release to go back to; absent means the previous one
 */
public record RollbackBody(
    String version, List<String> hosts, String healthyDeadline, String reason) {}
