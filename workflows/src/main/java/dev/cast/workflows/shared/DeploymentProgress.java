package dev.cast.workflows.shared;

import java.util.List;

/** A deployment as it stands: the answer of the {@code progress} query and the final result. */
public record DeploymentProgress(
    String deploymentId, DeploymentState state, String cause, List<HostProgress> hosts) {}
