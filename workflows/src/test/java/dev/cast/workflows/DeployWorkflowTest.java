package dev.cast.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cast.workflows.catalog.HostActivation;
import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.deploy.DeployWorkflow;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.HookRequest;
import dev.cast.workflows.host.PruneRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class DeployWorkflowTest extends RolloutTestBase {

  private DeploymentProgress deploy(List<String> targets) {
    env.start();
    DeployWorkflow workflow = stub(DeployWorkflow.class, WorkflowIds.deploy("hello"));
    return workflow.run(new DeployRequest("d-1", V2, targets, 30_000, 5, null));
  }

  @Test
  void activatesEveryHostAndRecordsWhereTheAppRuns() {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");

    DeploymentProgress result = deploy(List.of("a", "b"));

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(result.hosts()).extracting(HostProgress::state).containsOnly("healthy");
    for (ReleaseActivities host : List.of(a, b)) {
      verify(host).activateRelease(new ActivateRequest("d-1", "hello", "2.0.0", true));
      verify(host).awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000));
      verify(host).runHook(new HookRequest("hello", "2.0.0", "post_activate"));
      verify(host).pruneReleases(new PruneRequest("hello", 5));
      verify(host, never()).revertRelease(any());
    }
    ArgumentCaptor<HostActivation> recorded = ArgumentCaptor.forClass(HostActivation.class);
    verify(catalog, times(2)).recordActivation(recorded.capture());
    assertThat(recorded.getAllValues())
        .extracting(HostActivation::host, HostActivation::previousVersion)
        .containsExactly(tuple("a", "1.0.0"), tuple("b", "1.0.0"));
    ArgumentCaptor<DeploymentProgress> states = ArgumentCaptor.forClass(DeploymentProgress.class);
    verify(catalog, atLeastOnce()).recordDeployment(states.capture());
    assertThat(states.getAllValues())
        .extracting(DeploymentProgress::state)
        .containsExactly(DeploymentState.RUNNING, DeploymentState.SUCCEEDED);
  }

  @Test
  void revertsEverySwitchedHostWhenALaterHostFailsHealth() {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    when(b.awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000)))
        .thenThrow(failure("SERVICE_UNHEALTHY", "web: GET /health answered 500 for 30s"));

    DeploymentProgress result = deploy(List.of("a", "b"));

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(result.cause())
        .contains("host b")
        .contains("SERVICE_UNHEALTHY")
        .contains("answered 500");
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
    verify(b).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
    verify(a).awaitHealthy(new HealthRequest("hello", "1.0.0", 30_000));
    verify(catalog).restoreCurrent("hello", "a", "1.0.0");
    verify(catalog, never()).restoreCurrent(eq("hello"), eq("b"), any());
    verify(b, never()).runHook(any());
    assertThat(result.hosts()).extracting(HostProgress::state).containsOnly("reverted");
  }

  @Test
  void revertsTheHostWhosePreActivateHookFailed() {
    ReleaseActivities a = host("a", "1.0.0");
    when(a.activateRelease(any())).thenThrow(failure("HOOK_FAILED", "pre_activate exited 3"));

    DeploymentProgress result = deploy(List.of("a"));

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(result.cause()).contains("HOOK_FAILED").contains("pre_activate exited 3");
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
    verify(a, never()).awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000));
    verify(a).awaitHealthy(new HealthRequest("hello", "1.0.0", 30_000));
  }

  @Test
  void revertsWhenPostActivateFails() {
    ReleaseActivities a = host("a", "1.0.0");
    doThrow(failure("HOOK_FAILED", "post_activate timed out after 60s")).when(a).runHook(any());

    DeploymentProgress result = deploy(List.of("a"));

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
    verify(catalog, never()).recordActivation(any());
  }

  @Test
  void aFailedFirstDeployLeavesTheHostWithNothingCurrent() {
    ReleaseActivities a = host("a", null);
    when(a.awaitHealthy(any())).thenThrow(failure("SERVICE_EXITED", "web exited with 1"));

    DeploymentProgress result = deploy(List.of("a"));

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", null));
  }

  @Test
  void stagingFailureSwitchesNothing() {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    when(b.stageRelease(any()))
        .thenThrow(failure("BUNDLE_CHECKSUM_MISMATCH", "expected abc123, got fff"));

    DeploymentProgress result = deploy(List.of("a", "b"));

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(result.cause()).contains("host b").contains("BUNDLE_CHECKSUM_MISMATCH");
    verify(a, never()).activateRelease(any());
    verify(a, never()).revertRelease(any());
  }

  @Test
  void endsFailedWhenTheRevertItselfFails() {
    ReleaseActivities a = host("a", "1.0.0");
    when(a.awaitHealthy(any())).thenThrow(failure("SERVICE_UNHEALTHY", "never healthy"));
    doThrow(failure("SERVICE_START_FAILED", "1.0.0 will not start")).when(a).revertRelease(any());

    DeploymentProgress result = deploy(List.of("a"));

    assertThat(result.state()).isEqualTo(DeploymentState.FAILED);
    assertThat(result.cause()).contains("never healthy").contains("reverting also failed");
  }

  @Test
  void refusesASecondDeployOfTheSameAppWhileOneRuns() throws Exception {
    ReleaseActivities a = host("a", "1.0.0");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    when(a.awaitHealthy(any()))
        .thenAnswer(
            call -> {
              inside.countDown();
              release.await(10, TimeUnit.SECONDS);
              return null;
            });
    env.start();
    DeployWorkflow first = stub(DeployWorkflow.class, WorkflowIds.deploy("hello"));
    WorkflowClient.start(first::run, new DeployRequest("d-1", V2, List.of("a"), 30_000, 5, null));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    DeployWorkflow second = stub(DeployWorkflow.class, WorkflowIds.deploy("hello"));
    assertThatThrownBy(
            () ->
                WorkflowClient.start(
                    second::run, new DeployRequest("d-2", V2, List.of("a"), 30_000, 5, null)))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);

    DeploymentProgress live = live(first);
    assertThat(live.state()).isEqualTo(DeploymentState.RUNNING);
    assertThat(live.hosts()).extracting(HostProgress::state).containsExactly("activating");
    release.countDown();
  }

  @Test
  void endsFailedWithoutTouchingAHostWhenADurationIsOutOfRange() {
    ReleaseActivities a = host("a", "1.0.0");
    env.start();
    DeployWorkflow workflow = stub(DeployWorkflow.class, WorkflowIds.deploy("hello"));

    // 2^63 - 1 ms once overflowed the switch's timeout and failed every workflow task.
    DeploymentProgress result =
        workflow.run(new DeployRequest("d-1", V2, List.of("a"), Long.MAX_VALUE, 5, null));

    assertThat(result.state()).isEqualTo(DeploymentState.FAILED);
    assertThat(result.cause()).contains("INVALID_REQUEST: healthyDeadline").contains("1s to 1h");
    verify(a, never()).stageRelease(any());
    verify(catalog).recordDeployment(result);
  }
}
