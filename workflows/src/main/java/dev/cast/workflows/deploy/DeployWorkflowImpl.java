package dev.cast.workflows.deploy;

import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.Rollout;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class DeployWorkflowImpl implements DeployWorkflow {
  private Rollout rollout;
  private boolean promoted;
  private boolean paused;

  @Override
  public DeploymentProgress run(DeployRequest request) {
    rollout =
        new Rollout(
            request.deploymentId(),
            request.release(),
            request.hosts(),
            request.healthyDeadlineMillis());
    Strategy strategy = request.strategyOrSerial();
    return rollout.run(
        () -> {
          rollout.stageAll();
          List<List<String>> batches = batches(request.hosts(), strategy);
          for (int i = 0; i < batches.size(); i++) {
            Workflow.await(() -> !paused);
            activate(batches.get(i));
            if (strategy.minHealthyMillis() > 0 && i < batches.size() - 1) {
              Workflow.sleep(Duration.ofMillis(strategy.minHealthyMillis()));
            }
            if (i == 0 && strategy.canary() > 0 && strategy.manualPromote()) {
              Workflow.await(() -> promoted);
            }
          }
          rollout.pruneAll(request.keepReleases());
        });
  }

  /** The canaries first, then batches of maxParallel. */
  public static List<List<String>> batches(List<String> hosts, Strategy strategy) {
    List<List<String>> batches = new ArrayList<>();
    int start = Math.min(Math.max(0, strategy.canary()), hosts.size());
    if (start > 0) {
      batches.add(hosts.subList(0, start));
    }
    int size = Math.max(1, strategy.maxParallel());
    for (int i = start; i < hosts.size(); i += size) {
      batches.add(hosts.subList(i, Math.min(i + size, hosts.size())));
    }
    return batches;
  }

  private void activate(List<String> batch) {
    if (batch.size() == 1) {
      rollout.activate(batch.get(0), true);
      return;
    }
    List<Promise<Void>> running = new ArrayList<>();
    for (String host : batch) {
      running.add(Async.procedure(rollout::activate, host, true));
    }
    Rollout.awaitAll(running);
  }

  @Override
  public void promote() {
    promoted = true;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  @Override
  public DeploymentProgress progress() {
    return rollout.snapshot();
  }
}
