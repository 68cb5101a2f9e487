package dev.cast.workflows.service;

import java.util.List;

/**
 * @param action start | stop | restart | enable | disable
 * @param hosts in rollout order
 * @param maxParallel hosts acted on at once (at least 1)
 * @param healthyDeadlineMillis how long each host's service may take to pass its check
 * @param hostsPerPart the most hosts one child workflow of the operation acts on; 0 means {@link
 *     dev.cast.workflows.rollout.PartPlan#DEFAULT_HOSTS_PER_PART}
 * @param part whether this run is a part of a larger operation (a child workflow): the operation
 *     records the deployment in the catalog, not its parts
 */
public record ServiceControlRequest(
    String operationId,
    String app,
    String service,
    String action,
    List<String> hosts,
    int maxParallel,
    long healthyDeadlineMillis,
    int hostsPerPart,
    boolean part) {

  /** An operation with parts of the default size. */
  public ServiceControlRequest(
      String operationId,
      String app,
      String service,
      String action,
      List<String> hosts,
      int maxParallel,
      long healthyDeadlineMillis) {
    this(operationId, app, service, action, hosts, maxParallel, healthyDeadlineMillis, 0, false);
  }

  /** This operation's part on {@code partHosts}. */
  public ServiceControlRequest partOn(List<String> partHosts) {
    return new ServiceControlRequest(
        operationId,
        app,
        service,
        action,
        partHosts,
        maxParallel,
        healthyDeadlineMillis,
        hostsPerPart,
        true);
  }

  /** Whether the action leaves the service running, so the batch waits for health. */
  public boolean startsService() {
    return action.equals("start") || action.equals("restart") || action.equals("enable");
  }
}
