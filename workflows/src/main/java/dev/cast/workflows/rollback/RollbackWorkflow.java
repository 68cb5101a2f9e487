package dev.cast.workflows.rollback;

import dev.cast.workflows.rollout.HostWatch;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.ProgressQuery;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The fast path back to a release the hosts already hold: no fetch when it is staged, no canary,
 * every host in parallel. A host that fails is put back where it was, like a deploy. Workflow id
 * {@code rollback/<app>}.
 */
@WorkflowInterface
public interface RollbackWorkflow extends ProgressQuery, HostWatch {
  String TYPE = "Rollback";

  @WorkflowMethod(name = TYPE)
  DeploymentProgress run(RollbackRequest request);
}
