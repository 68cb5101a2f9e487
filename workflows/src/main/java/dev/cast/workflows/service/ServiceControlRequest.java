package dev.cast.workflows.service;

import java.util.List;

/**
 * @param action start | stop | restart | enable | disable
 * @param hosts in rollout order
 * @param maxParallel hosts acted on at once (at least 1)
 * @param healthyDeadlineMillis how long each host's service may take to pass its check
 */
public record ServiceControlRequest(
    String operationId,
    String app,
    String service,
    String action,
    List<String> hosts,
    int maxParallel,
    long healthyDeadlineMillis) {

  /** Whether the action leaves the service running, so the batch waits for health. */
  public boolean startsService() {
    return action.equals("start") || action.equals("restart") || action.equals("enable");
  }
}
