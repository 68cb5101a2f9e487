package dev.cast.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.deploy.DeployWorkflow;
import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What a deploy tolerates: unreachable hosts, a progress deadline, autoRevert off. */
class DeployPolicyTest extends RolloutTestBase {
  private static final long UNREACHABLE_AFTER = 2_000;

  private DeploymentProgress deploy(Strategy strategy, String... targets) {
    env.start();
    DeployWorkflow workflow = stub(DeployWorkflow.class, WorkflowIds.deploy("hello"));
    return workflow.run(
        new DeployRequest("d-1", V2, List.of(targets), 30_000, 5, strategy, UNREACHABLE_AFTER));
  }

  private static Strategy strategy(
      int maxParallel, long progressDeadline, boolean autoRevert, int maxUnavailable) {
    return new Strategy(maxParallel, 0, false, 0, progressDeadline, autoRevert, maxUnavailable);
  }

  private static HostProgress host(DeploymentProgress progress, String name) {
    return progress.hosts().stream().filter(h -> h.host().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aHostWithoutAnAgentIsUnreachableAndTheRestGoOnWithinMaxUnavailable() {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    // "gone" has no worker polling its queue: nothing ever picks up its tasks.

    DeploymentProgress result = deploy(strategy(2, 0, true, 1), "a", "gone", "b");

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(host(result, "gone").state()).isEqualTo("unreachable");
    assertThat(result.cause()).contains("1 host unreachable (gone)", "maxUnavailable 1");
    assertThat(host(result, "a").state()).isEqualTo("healthy");
    assertThat(host(result, "b").state()).isEqualTo("healthy");
    verify(b).activateRelease(new ActivateRequest("d-1", "hello", "2.0.0", true));
  }

  @Test
  void moreUnreachableHostsThanMaxUnavailableStopTheDeployBeforeAnySwitch() {
    ReleaseActivities a = host("a", "1.0.0");

    DeploymentProgress result = deploy(strategy(2, 0, true, 0), "a", "gone");

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(result.cause()).contains("1 host unreachable (gone)", "more than maxUnavailable 0");
    assertThat(host(result, "gone").state()).isEqualTo("unreachable");
    verify(a, never()).activateRelease(any());
  }

  @Test
  void withAutoRevertOffAFailureLeavesTheHostsAsTheyAre() {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    when(b.awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000)))
        .thenThrow(failure("SERVICE_UNHEALTHY", "web: GET /health answered 500 for 30s"));

    DeploymentProgress result = deploy(strategy(1, 0, false, 0), "a", "b");

    assertThat(result.state()).isEqualTo(DeploymentState.FAILED);
    assertThat(result.cause()).contains("host b", "SERVICE_UNHEALTHY", "autoRevert is off");
    assertThat(host(result, "a").state()).isEqualTo("healthy");
    assertThat(host(result, "b").state()).isEqualTo("failed");
    verify(a, never()).revertRelease(any());
    verify(b, never()).revertRelease(any());
  }

  @Test
  void noProgressWithinTheProgressDeadlineFailsAndReverts() {
    ReleaseActivities a = host("a", "1.0.0");
    when(a.awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000)))
        .thenAnswer(
            call -> {
              Thread.sleep(3_000);
              return null;
            });

    DeploymentProgress result = deploy(strategy(1, 1_000, true, 0), "a");

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(result.cause()).contains("no host made progress for 1s (progressDeadline)");
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
  }

  @Test
  void aBatchThatDoesNotStayHealthyForMinHealthyTimeStopsTheRollout() {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    when(a.awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000)))
        .thenReturn(null)
        .thenThrow(failure("SERVICE_RESTARTED", "web restarted 1 time since the switch"));

    DeploymentProgress result = deploy(new Strategy(1, 0, false, 10_000), "a", "b");

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(result.cause()).contains("host a", "SERVICE_RESTARTED");
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
    verify(b, never()).activateRelease(any());
  }

  @Test
  void theLastBatchMustStayHealthyForMinHealthyTimeToo() {
    ReleaseActivities a = host("a", "1.0.0");
    when(a.awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000)))
        .thenReturn(null)
        .thenThrow(failure("SERVICE_RESTARTED", "web restarted 3 times since the switch"));

    DeploymentProgress result = deploy(new Strategy(1, 0, false, 10_000), "a");

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(result.cause()).contains("host a", "SERVICE_RESTARTED");
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
  }

  @Test
  void aHostTheApiFindsSilentMidStepIsUnreachableAndTheRestGoesOn() throws Exception {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    CountDownLatch cutOff = new CountDownLatch(1);
    when(b.stageRelease(any()))
        .thenAnswer(
            call -> {
              cutOff.await(); // an agent that took the step and then went silent
              return new StagedRelease("2.0.0", "1.0.0", true);
            });
    env.start();
    DeployWorkflow workflow = stub(DeployWorkflow.class, WorkflowIds.deploy("hello"));
    WorkflowClient.start(
        workflow::run,
        new DeployRequest("d-1", V2, List.of("a", "b"), 30_000, 5, strategy(1, 0, true, 1)));
    while (!"staging".equals(host(live(workflow), "b").state())) {
      Thread.sleep(10);
    }

    workflow.hostUnreachable("b");
    DeploymentProgress result =
        WorkflowStub.fromTyped(workflow).getResult(DeploymentProgress.class);
    cutOff.countDown();

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(host(result, "b").state()).isEqualTo("unreachable");
    assertThat(host(result, "b").message()).contains("stopped reporting to the api");
    assertThat(host(result, "a").state()).isEqualTo("healthy");
    verify(b, never()).activateRelease(any());
  }

  @Test
  void progressShowsThePhaseAndTheBatchInProgress() throws Exception {
    host("a", "1.0.0");
    host("b", "1.0.0");
    host("c", "1.0.0");
    env.start();
    DeployWorkflow workflow = stub(DeployWorkflow.class, WorkflowIds.deploy("hello"));
    WorkflowClient.start(
        workflow::run,
        new DeployRequest(
            "d-1",
            V2,
            List.of("a", "b", "c"),
            30_000,
            5,
            new Strategy(1, 1, true, 0, 600_000, true, 0),
            UNREACHABLE_AFTER));

    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    DeploymentProgress waiting = live(workflow);
    while (!"awaiting promote".equals(waiting.phase()) && System.nanoTime() < end) {
      Thread.sleep(20);
      waiting = live(workflow);
    }
    assertThat(waiting.phase()).isEqualTo("awaiting promote");
    assertThat(waiting.batch()).isEqualTo(1);
    assertThat(waiting.batches()).isEqualTo(3);

    workflow.promote();
    DeploymentProgress done = WorkflowStub.fromTyped(workflow).getResult(DeploymentProgress.class);
    assertThat(done.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(done.phase()).isEqualTo("done");
    assertThat(done.batch()).isEqualTo(3);
  }
}
