package dev.cast.api.db;

/**
 * A deployment or rollback. {@code hosts} is a JSON list of per-host progress; {@code hostsBefore}
 * a JSON object of the version each target host ran when it started (null in older rows).
 */
public record DeploymentRow(
    String id,
    String kind,
    String app,
    String version,
    String state,
    String cause,
    String hosts,
    String workflowId,
    String runId,
    String requestedBy,
    String reason,
    long startedAt,
    Long endedAt,
    String service,
    Integer batch,
    Integer batches,
    String hostsBefore) {}
