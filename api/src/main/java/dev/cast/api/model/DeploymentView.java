package dev.cast.api.model;

import dev.cast.workflows.shared.HostProgress;
import java.util.List;

public record DeploymentView(
    String id,
    String kind,
    String app,
    String service,
    String version,
    String state,
    String cause,
    List<HostProgress> hosts,
    String requestedBy,
    String reason,
    String startedAt,
    String endedAt,
    String workflowId,
    String runId) {}
