package dev.cast.api.db;

import dev.cast.workflows.shared.HostProgress;
import java.util.List;
import java.util.Map;

/**
 * A deployment or rollback. {@code hosts} is the per-host progress; {@code hostsBefore} the version
 * each target host ran when it started (null in older rows); {@code plan} what a deploy was started
 * with (null for other kinds and older rows); {@code follows} the INTERRUPTED deployment this one
 * resumes or reverts; {@code endedBy} the deployment that resumed or reverted this INTERRUPTED one;
 * {@code configIndex} the highest registry index its hosts rendered config templates at (null
 * without templates).
 */
public record DeploymentRow(
    String id,
    String kind,
    String app,
    String version,
    String state,
    String cause,
    @JsonColumn List<HostProgress> hosts,
    String workflowId,
    String runId,
    String requestedBy,
    String reason,
    long startedAt,
    Long endedAt,
    String service,
    Integer batch,
    Integer batches,
    @JsonColumn Map<String, String> hostsBefore,
    @JsonColumn DeployPlan plan,
    String follows,
    String endedBy,
    Long configIndex) {}
