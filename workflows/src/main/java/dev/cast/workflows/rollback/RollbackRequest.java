package dev.cast.workflows.rollback;

import dev.cast.workflows.shared.ReleaseRef;
import java.util.List;

/**
 * @param release the release to go back to
 * @param maxParallel hosts switched at once; 0 means all of them
 * @param unreachableAfterMillis as in {@link dev.cast.workflows.deploy.DeployRequest}
 */
public record RollbackRequest(
    String deploymentId,
    ReleaseRef release,
    List<String> hosts,
    long healthyDeadlineMillis,
    int maxParallel,
    long unreachableAfterMillis) {

  public RollbackRequest(
      String deploymentId, ReleaseRef release, List<String> hosts, long healthyDeadlineMillis) {
    this(deploymentId, release, hosts, healthyDeadlineMillis, 0, 0);
  }
}
