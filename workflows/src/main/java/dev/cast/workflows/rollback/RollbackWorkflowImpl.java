package dev.cast.workflows.rollback;

import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.Rollout;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;

public class RollbackWorkflowImpl implements RollbackWorkflow {
  private Rollout rollout;

  @Override
  public DeploymentProgress run(RollbackRequest request) {
    rollout =
        new Rollout(
            request.deploymentId(),
            request.release(),
            request.hosts(),
            request.healthyDeadlineMillis());
    return rollout.run(
        () -> {
          // Staging is a no-op on hosts that hold the release (the usual case) and a fetch on a
          // host that pruned it or never had it.
          rollout.stageAll();
          List<Promise<Void>> all = new ArrayList<>();
          for (String host : request.hosts()) {
            all.add(Async.procedure(rollout::activate, host, false));
          }
          Rollout.awaitAll(all);
        });
  }

  @Override
  public DeploymentProgress progress() {
    return rollout.snapshot();
  }
}
