package dev.cast.workflows.deploy;

import dev.cast.workflows.shared.ReleaseRef;
import java.util.List;

/**
 * @param hosts target hosts, in rollout order
 * @param healthyDeadlineMillis how long each host's services may take to pass their checks
 * @param keepReleases releases kept per host after a success (current and previous always are)
 * @param strategy batches, canary and gates; null means {@link Strategy#serial()}
 * @param unreachableAfterMillis a host whose agent picks up none of its work for this long is
 *     unreachable; 0 means the default of {@link dev.cast.workflows.shared.ActivityProfiles}
 * @param hostsPerPart the most hosts one child workflow of the deploy acts on; 0 means {@link
 *     dev.cast.workflows.rollout.PartPlan#DEFAULT_HOSTS_PER_PART}
 */
public record DeployRequest(
    String deploymentId,
    ReleaseRef release,
    List<String> hosts,
    long healthyDeadlineMillis,
    int keepReleases,
    Strategy strategy,
    long unreachableAfterMillis,
    int hostsPerPart) {

  public DeployRequest(
      String deploymentId,
      ReleaseRef release,
      List<String> hosts,
      long healthyDeadlineMillis,
      int keepReleases,
      Strategy strategy,
      long unreachableAfterMillis) {
    this(
        deploymentId,
        release,
        hosts,
        healthyDeadlineMillis,
        keepReleases,
        strategy,
        unreachableAfterMillis,
        0);
  }

  public DeployRequest(
      String deploymentId,
      ReleaseRef release,
      List<String> hosts,
      long healthyDeadlineMillis,
      int keepReleases,
      Strategy strategy) {
    this(deploymentId, release, hosts, healthyDeadlineMillis, keepReleases, strategy, 0);
  }

  public Strategy strategyOrSerial() {
    return strategy == null ? Strategy.serial() : strategy;
  }
}
