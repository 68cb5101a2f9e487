package dev.cast.workflows.config;

import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.shared.ReleaseRef;
import java.util.List;
import java.util.Map;

/**
 * A config rollout: the hosts of an app re-render its templates at the registry's current index and
 * those whose files changed apply them.
 *
 * @param release the release most hosts run (only its app and version are used: nothing is fetched)
 * @param hostReleases the release of each host that runs another one; null or empty when none does
 * @param hosts target hosts, in rollout order
 * @param strategy batches, canary and gates for hosts whose change calls for a rollout; null means
 *     {@link Strategy#serial()}
 * @param unreachableAfterMillis as in {@link dev.cast.workflows.deploy.DeployRequest}
 */
public record ConfigRolloutRequest(
    String deploymentId,
    ReleaseRef release,
    Map<String, ReleaseRef> hostReleases,
    List<String> hosts,
    long healthyDeadlineMillis,
    Strategy strategy,
    long unreachableAfterMillis) {

  public Strategy strategyOrSerial() {
    return strategy == null ? Strategy.serial() : strategy;
  }
}
