package dev.cast.workflows.shared;

import java.util.List;

/**
 * A deployment as it stands: the answer of the {@code progress} query and the final result.
 *
 * @param phase what the rollout is doing now, for people: staging, canary, awaiting promote,
 *     paused, rolling out, reverting, done
 * @param batch the batch in progress or last done, from 1; null before the first
 * @param batches how many batches the rollout has; null when it has none (yet)
 */
public record DeploymentProgress(
    String deploymentId,
    DeploymentState state,
    String cause,
    List<HostProgress> hosts,
    String phase,
    Integer batch,
    Integer batches) {

  public DeploymentProgress(
      String deploymentId, DeploymentState state, String cause, List<HostProgress> hosts) {
    this(deploymentId, state, cause, hosts, null, null, null);
  }
}
