package dev.cast.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.deploy.DeployWorkflow;
import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.rollback.RollbackRequest;
import dev.cast.workflows.rollback.RollbackWorkflow;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * A rollout in parts (child workflows of at most {@code hostsPerPart} hosts): the same outcomes as
 * one workflow, with what a part switched reverted by its rollout, and the rollout's signals and
 * live view reaching across parts.
 */
class PartedRolloutTest extends RolloutTestBase {
  private static final String ID = WorkflowIds.deploy("hello");
  private static final long UNREACHABLE_AFTER = 2_000;

  private DeployWorkflow start(Strategy strategy, int hostsPerPart, String... targets) {
    env.start();
    DeployWorkflow workflow = stub(DeployWorkflow.class, ID);
    WorkflowClient.start(
        workflow::run,
        new DeployRequest(
            "d-1", V2, List.of(targets), 30_000, 5, strategy, UNREACHABLE_AFTER, hostsPerPart));
    return workflow;
  }

  private static DeploymentProgress result(DeployWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(DeploymentProgress.class);
  }

  private DeploymentProgress awaitLive(DeployWorkflow workflow, Predicate<DeploymentProgress> until)
      throws InterruptedException {
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

  private List<HistoryEvent> history(String workflowId) {
    return client.fetchHistory(workflowId).getEvents();
  }

  private static long count(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(e -> e.getEventType() == type).count();
  }

  @Test
  void everyHostSwitchesThroughPartsAndTheRolloutItselfRunsNoHostActivity() {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      host(name, "1.0.0");
    }
    DeployWorkflow workflow = start(new Strategy(1, 0, false, 0), 2, "a", "b", "c", "d", "e");

    DeploymentProgress done = result(workflow);

    assertThat(done.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(done.hosts()).extracting(HostProgress::state).containsOnly("healthy");
    assertThat(done.batch()).isEqualTo(5);
    assertThat(done.batches()).isEqualTo(5);
    hosts.values().forEach(h -> verify(h).pruneReleases(any()));
    List<HistoryEvent> parent = history(ID);
    // Only the catalog's record of the deployment: the hosts' work is the parts'.
    assertThat(count(parent, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).isEqualTo(2);
    // 5 hosts in parts of 2: staging 3 parts, switching 3 (2 + 2 + 1 batches), pruning 3.
    assertThat(count(parent, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED))
        .isEqualTo(9);
    for (String part : List.of("stage-3", "switch-3", "prune-3")) {
      assertThat(history(WorkflowIds.part(ID, "d-1", part))).isNotEmpty();
    }
  }

  @Test
  void aFailureInALaterPartRevertsTheHostsEarlierPartsSwitched() {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    ReleaseActivities c = host("c", "1.0.0");
    when(c.awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000)))
        .thenThrow(failure("SERVICE_UNHEALTHY", "web: GET /health answered 500"));
    ReleaseActivities d = host("d", "1.0.0");

    DeploymentProgress done = result(start(new Strategy(1, 0, false, 0), 2, "a", "b", "c", "d"));

    assertThat(done.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(done.cause()).contains("host c", "SERVICE_UNHEALTHY");
    for (ReleaseActivities host : List.of(a, b, c)) {
      verify(host).revertRelease(any(RevertRequest.class));
    }
    verify(a).revertRelease(new RevertRequest("d-1", "hello", "2.0.0", "1.0.0"));
    verify(d, never()).activateRelease(any());
    verify(d, never()).revertRelease(any());
    // The catalog's record is undone where the switch completed, not where it failed.
    verify(catalog).restoreCurrent("hello", "a", "1.0.0");
    verify(catalog).restoreCurrent("hello", "b", "1.0.0");
    verify(catalog, never()).restoreCurrent("hello", "c", "1.0.0");
    assertThat(state(done, "a")).isEqualTo("reverted");
    assertThat(state(done, "c")).isEqualTo("reverted");
    assertThat(state(done, "d")).isEqualTo("staged");
  }

  @Test
  void aCancelStopsTheRunningPartAndRevertsWhatEveryPartSwitched() throws Exception {
    ReleaseActivities a = host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    ReleaseActivities c = host("c", "1.0.0");
    CountDownLatch never = new CountDownLatch(1);
    when(c.activateRelease(any()))
        .thenAnswer(
            call -> {
              never.await(); // a switch that hangs until the cancel
              return new Activation("c", "10.0.0.3", "1.0.0", List.of(), null);
            });
    ReleaseActivities d = host("d", "1.0.0");
    DeployWorkflow workflow = start(new Strategy(1, 0, false, 0), 2, "a", "b", "c", "d");
    awaitLive(workflow, p -> state(p, "c").equals("activating"));

    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.cancel();
    assertThatThrownBy(() -> stub.getResult(DeploymentProgress.class))
        .isInstanceOf(WorkflowFailedException.class);
    never.countDown();

    ArgumentCaptor<DeploymentProgress> recorded = ArgumentCaptor.forClass(DeploymentProgress.class);
    verify(catalog, atLeastOnce()).recordDeployment(recorded.capture());
    DeploymentProgress last = recorded.getValue();
    assertThat(last.state()).isEqualTo(DeploymentState.CANCELLED);
    assertThat(last.cause()).isEqualTo("cancelled by request");
    for (ReleaseActivities host : List.of(a, b, c)) {
      verify(host).revertRelease(any(RevertRequest.class));
    }
    verify(d, never()).activateRelease(any());
    assertThat(state(last, "a")).isEqualTo("reverted");
    assertThat(state(last, "c")).isEqualTo("reverted");
  }

  @Test
  void aPauseReachesThePartRunningAndHoldsItBeforeItsNextBatch() throws Exception {
    host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    CountDownLatch paused = new CountDownLatch(1);
    when(b.activateRelease(any()))
        .thenAnswer(
            call -> {
              paused.await();
              return new Activation("b", "10.0.0.2", "1.0.0", List.of(), null);
            });
    ReleaseActivities c = host("c", "1.0.0");
    // One part of three batches: the pause must reach it, not wait for the part to end.
    DeployWorkflow workflow = start(new Strategy(1, 0, false, 0), 10, "a", "b", "c");
    awaitLive(workflow, p -> state(p, "b").equals("activating"));

    workflow.pause();
    Thread.sleep(200); // the pause reaches the part while b still switches
    paused.countDown();
    DeploymentProgress holding = awaitLive(workflow, p -> "paused".equals(p.phase()));
    assertThat(holding.phase()).isEqualTo("paused");
    assertThat(holding.batch()).isEqualTo(3);
    assertThat(state(holding, "b")).isEqualTo("healthy");
    Thread.sleep(300);
    verify(c, never()).activateRelease(any());

    workflow.resume();
    assertThat(result(workflow).state()).isEqualTo(DeploymentState.SUCCEEDED);
    verify(c).activateRelease(new ActivateRequest("d-1", "hello", "2.0.0", true));
  }

  @Test
  void aHostTheApiFindsSilentIsToldToThePartThatRunsIt() throws Exception {
    host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    CountDownLatch cutOff = new CountDownLatch(1);
    when(b.stageRelease(any()))
        .thenAnswer(
            call -> {
              cutOff.await();
              return new StagedRelease("2.0.0", "1.0.0", true);
            });
    host("c", "1.0.0");
    DeployWorkflow workflow = start(new Strategy(1, 0, false, 0, 0, true, 1), 1, "a", "b", "c");
    awaitLive(workflow, p -> state(p, "b").equals("staging"));

    workflow.hostUnreachable("b");
    DeploymentProgress done = result(workflow);
    cutOff.countDown();

    assertThat(done.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(state(done, "b")).isEqualTo("unreachable");
    assertThat(state(done, "a")).isEqualTo("healthy");
    assertThat(state(done, "c")).isEqualTo("healthy");
    assertThat(done.cause()).contains("1 host unreachable (b)");
    verify(b, never()).activateRelease(any());
  }

  @Test
  void unreachableHostsInPartsSideBySideCountTogetherAgainstMaxUnavailable() {
    host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    // "gone-1" and "gone-2" have no worker: each staging part finds one unreachable, within the
    // maxUnavailable of 1 it allows on its own; together they are beyond it.
    DeploymentProgress done =
        result(start(new Strategy(4, 0, false, 0, 0, true, 1), 2, "a", "gone-1", "b", "gone-2"));

    assertThat(done.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    assertThat(done.cause()).contains("2 hosts unreachable", "maxUnavailable 1");
    verify(b, never()).activateRelease(any());
  }

  @Test
  void aRollbackInPartsSendsEachHostToItsOwnRelease() {
    host("a", "3.0.0");
    ReleaseActivities b = host("b", "3.1.0");
    ReleaseActivities c = host("c", "3.0.0");
    ReleaseRef v21 =
        new ReleaseRef("hello", "2.1.0", "def456", 100, "/v1/apps/hello/releases/2.1.0/bundle");
    when(b.stageRelease(any())).thenReturn(new StagedRelease("2.1.0", "3.1.0", false));
    env.start();

    DeploymentProgress done =
        stub(RollbackWorkflow.class, WorkflowIds.rollback("hello"))
            .run(
                new RollbackRequest(
                    "r-1", V2, List.of("a", "b", "c"), 10_000, 0, 0, Map.of("b", v21), 1, false));

    assertThat(done.state()).isEqualTo(DeploymentState.SUCCEEDED);
    verify(b).activateRelease(new ActivateRequest("r-1", "hello", "2.1.0", false));
    verify(c).activateRelease(new ActivateRequest("r-1", "hello", "2.0.0", false));
    // One batch of three hosts, switched side by side in three parts of one.
    assertThat(
            count(
                history(WorkflowIds.rollback("hello")),
                EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED))
        .isEqualTo(6);
    assertThat(done.batches()).isEqualTo(1);
  }

  @Test
  void partsSideBySideRunFourAtATime() {
    List<String> names = List.of("a", "b", "c", "d", "e", "f");
    names.forEach(name -> host(name, "1.0.0"));
    // Parts of one host: six staging parts, then one batch of six in six slices.
    DeploymentProgress done =
        result(start(new Strategy(6, 0, false, 0), 1, names.toArray(String[]::new)));

    assertThat(done.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(done.hosts()).extracting(HostProgress::state).containsOnly("healthy");
    int open = 0;
    int most = 0;
    for (HistoryEvent event : history(ID)) {
      if (event.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
        most = Math.max(most, ++open);
      } else if (event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED) {
        open--;
      }
    }
    assertThat(most).isEqualTo(4);
  }
}
