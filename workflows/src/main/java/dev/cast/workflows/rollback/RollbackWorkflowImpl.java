package dev.cast.workflows.rollback;

import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.Rollout;
import dev.cast.workflows.shared.RolloutPolicy;
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
            request.hostReleases(),
            request.hosts(),
            RolloutPolicy.strict(
                request.healthyDeadlineMillis(), request.unreachableAfterMillis()));
    return rollout.run(
        () -> {
          // Staging is a no-op on hosts that hold the release (the usual case) and a fetch on a
          // host that pruned it or never had it.
          rollout.stageAll();
          List<String> hosts = rollout.reachable();
          int size = request.maxParallel() > 0 ? request.maxParallel() : hosts.size();
          int batches = (hosts.size() + size - 1) / size;
          for (int start = 0, batch = 1; start < hosts.size(); start += size, batch++) {
            rollout.phase("rolling back", batch, batches);
            List<String> hostsOfBatch = hosts.subList(start, Math.min(start + size, hosts.size()));
            if (rollout.recordsPerBatch()) {
              rollout.activateBatch(hostsOfBatch, false);
              continue;
            }
            List<Promise<Void>> running = new ArrayList<>();
            for (String host : hostsOfBatch) {
              running.add(Async.procedure(rollout::activate, host, false));
            }
            Rollout.awaitAll(running);
          }
        });
  }

  @Override
  public void hostUnreachable(String host) {
    if (rollout != null) {
      rollout.hostLost(host);
    }
  }

  @Override
  public DeploymentProgress progress() {
    return rollout.snapshot();
  }
}
