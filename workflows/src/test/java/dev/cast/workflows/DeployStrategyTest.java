package dev.cast.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.deploy.DeployWorkflow;
import dev.cast.workflows.deploy.DeployWorkflowImpl;
import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class DeployStrategyTest extends RolloutTestBase {
  private static final Strategy CANARY_MANUAL = new Strategy(2, 1, true, 0);

  private DeployWorkflow start(Strategy strategy, String... hosts) {
    env.start();
    DeployWorkflow workflow = stub(DeployWorkflow.class, WorkflowIds.deploy("hello"));
    WorkflowClient.start(
        workflow::run, new DeployRequest("d-1", V2, List.of(hosts), 30_000, 5, strategy));
    return workflow;
  }

  private DeploymentProgress awaitProgress(
      DeployWorkflow workflow, Predicate<DeploymentProgress> until) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    DeploymentProgress progress = live(workflow);
    while (!until.test(progress) && System.nanoTime() < end) {
      Thread.sleep(20);
      progress = live(workflow);
    }
    return progress;
  }

  private static String state(DeploymentProgress progress, String host) {
    return progress.hosts().stream()
        .filter(h -> h.host().equals(host))
        .map(HostProgress::state)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void splitsHostsIntoCanariesThenBatches() {
    Strategy strategy = new Strategy(2, 1, false, 0);

    assertThat(DeployWorkflowImplBatches.of(List.of("a", "b", "c", "d"), strategy))
        .containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
  }

  @Test
  void theCanaryWaitsForAPromoteBeforeTheRest() throws Exception {
    host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    DeployWorkflow workflow = start(CANARY_MANUAL, "a", "b");

    DeploymentProgress waiting = awaitProgress(workflow, p -> state(p, "a").equals("healthy"));
    assertThat(state(waiting, "a")).isEqualTo("healthy");
    assertThat(state(waiting, "b")).isEqualTo("staged");
    verify(b, never()).activateRelease(any());

    workflow.promote();
    DeploymentProgress done = WorkflowStub.fromTyped(workflow).getResult(DeploymentProgress.class);

    assertThat(done.state()).isEqualTo(DeploymentState.SUCCEEDED);
    verify(b).activateRelease(new ActivateRequest("d-1", "hello", "2.0.0", true));
  }

  @Test
  void aPausedRolloutHoldsBeforeItsNextBatchUntilResumed() throws Exception {
    host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    DeployWorkflow workflow = start(CANARY_MANUAL, "a", "b");
    awaitProgress(workflow, p -> state(p, "a").equals("healthy"));

    workflow.pause();
    workflow.promote();
    Thread.sleep(300);
    verify(b, never()).activateRelease(any());

    workflow.resume();
    DeploymentProgress done = WorkflowStub.fromTyped(workflow).getResult(DeploymentProgress.class);
    assertThat(done.state()).isEqualTo(DeploymentState.SUCCEEDED);
  }

  @Test
  void cancelMidRolloutRevertsWhatWasSwitched() throws Exception {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    DeployWorkflow workflow = start(CANARY_MANUAL, "a", "b");
    awaitProgress(workflow, p -> state(p, "a").equals("healthy"));

    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.cancel();
    // The execution closes as cancelled; what the workflow recorded says what it undid.
    assertThatThrownBy(() -> stub.getResult(DeploymentProgress.class))
        .isInstanceOf(WorkflowFailedException.class);

    ArgumentCaptor<DeploymentProgress> recorded = ArgumentCaptor.forClass(DeploymentProgress.class);
    verify(catalog, atLeastOnce()).recordDeployment(recorded.capture());
    DeploymentProgress last = recorded.getValue();
    assertThat(last.state()).isEqualTo(DeploymentState.CANCELLED);
    assertThat(state(last, "a")).isEqualTo("reverted");
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
    verify(b, never()).activateRelease(any());
    verify(catalog).restoreCurrent("hello", "a", "1.0.0");
  }

  /** The batch split, as the workflow computes it. */
  static final class DeployWorkflowImplBatches {
    static List<List<String>> of(List<String> hosts, Strategy strategy) {
      return DeployWorkflowImpl.batches(hosts, strategy);
    }
  }
}
