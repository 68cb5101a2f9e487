package dev.cast.workflows.service;

import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.ProgressQuery;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Starts, stops, restarts, enables or disables one service across hosts, one batch of {@code
 * maxParallel} hosts at a time; for start, restart and enable each batch must be healthy before the
 * next begins, so a rolling restart never takes every instance down. Stops at the first failure (a
 * restart cannot be undone) and ends FAILED with the cause. Workflow id {@code
 * control/<app>/<operationId>}.
 */
@WorkflowInterface
public interface ServiceControlWorkflow extends ProgressQuery {
  String TYPE = "ServiceControl";

  @WorkflowMethod(name = TYPE)
  DeploymentProgress run(ServiceControlRequest request);
}
