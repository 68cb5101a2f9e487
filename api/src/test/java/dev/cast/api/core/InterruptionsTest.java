package dev.cast.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.config.DeploySettings;
import dev.cast.api.db.Database;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ReleaseDao;
import dev.cast.api.db.ReleaseRow;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.DeployBody;
import dev.cast.api.model.DeploymentView;
import dev.cast.api.model.RollbackBody;
import dev.cast.api.model.StrategyBody;
import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.rollback.RollbackRequest;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.WorkflowIds;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ending an INTERRUPTED deployment, against a real catalog and a Temporal test server that is
 * replaced mid-deploy (as the embedded one is by a restart): resume starts the same deploy again
 * and revert rolls back the hosts it switched, each once; anything else is refused with the fix. No
 * worker runs, so a started workflow stays where it started and its input can be read back.
 */
class InterruptionsTest {
  @TempDir Path dir;
  private final LifecycleEnvironment lifecycle = new LifecycleEnvironment(new MetricRegistry());
  private TestWorkflowEnvironment temporal;
  private DeploymentDao deployments;
  private InstanceDao instances;
  private DeploymentService service;

  @BeforeEach
  void open() throws Exception {
    Jdbi jdbi = Database.open(dir.resolve("catalog.db"), lifecycle);
    temporal = TestWorkflowEnvironment.newInstance();
    deployments = new DeploymentDao(jdbi);
    instances = new InstanceDao(jdbi);
    HostDao hosts = new HostDao(jdbi);
    ReleaseDao releaseDao = new ReleaseDao(jdbi);
    ReleaseStore releases =
        new ReleaseStore(
            dir.resolve("bundles"), 1 << 20, 100, 1, releaseDao, new ObjectMapper(), 0);
    DeploymentStatus status = new DeploymentStatus(() -> temporal.getWorkflowClient(), deployments);
    service =
        new DeploymentService(
            () -> temporal.getWorkflowClient(),
            releases,
            deployments,
            instances,
            new Targets(hosts, instances, new ServiceStatusDao(jdbi)),
            new DeploymentLauncher(
                () -> temporal.getWorkflowClient(),
                deployments,
                instances,
                status,
                new ReleaseUrls()),
            status,
            new DeploySettings());
    for (String version : List.of("1.0.0", "2.0.0")) {
      releaseDao.insert(
          new ReleaseRow("hello", version, "0".repeat(64), 1, List.of("web"), 1, "test"));
    }
    for (String host : List.of("web-1", "web-2")) {
      hosts.upsert(host, "127.0.0.1", "test", null, Map.of(), Map.of(), 1);
      report(host, "1.0.0", null);
    }
  }

  @AfterEach
  void close() throws Exception {
    temporal.close();
    for (var managed : lifecycle.getManagedObjects()) {
      ((JettyManaged) managed).getManaged().stop();
    }
  }

  private void report(String host, String current, String previous) {
    instances.reconcile("hello", host, current, previous, List.of("1.0.0", "2.0.0"), List.of());
  }

  /** A deploy of 2.0.0 to both hosts, canary first, that the "restart" below interrupts. */
  private String deployOf200() {
    return service
        .deploy(
            "hello",
            new DeployBody(
                "2.0.0",
                List.of("web-1", "web-2"),
                null,
                "45s",
                "ship it",
                new StrategyBody(1, 1, "manual", null, null, "7m", false, null)),
            "alice")
        .id();
  }

  /** The Temporal server restarts: every workflow is gone, and the deployment INTERRUPTED. */
  private DeploymentView restart(String id) {
    temporal.close();
    temporal = TestWorkflowEnvironment.newInstance();
    DeploymentView view = service.view(id);
    assertThat(view.state()).isEqualTo("INTERRUPTED");
    return view;
  }

  /** The input the workflow with this id was started with. */
  private <T> T input(String workflowId, Class<T> type) {
    HistoryEvent started =
        temporal.getWorkflowClient().fetchHistory(workflowId).getHistory().getEvents(0);
    Payloads payloads = started.getWorkflowExecutionStartedEventAttributes().getInput();
    return DefaultDataConverter.newDefaultInstance()
        .fromPayloads(0, Optional.of(payloads), type, type);
  }

  private static ApiException refused(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      assertThat(e.status()).as(e.getMessage()).isEqualTo(409);
      return e;
    }
    throw new AssertionError("not refused");
  }

  @Test
  void resumeStartsTheSameDeployAgainAndEndsTheInterruptedOne() {
    String id = deployOf200();
    DeployRequest first = input(WorkflowIds.deploy("hello"), DeployRequest.class);
    restart(id);
    report("web-1", "2.0.0", "1.0.0"); // the canary had switched

    DeploymentView resumed = service.resume(id, "bob");

    assertThat(resumed.id()).isNotEqualTo(id);
    assertThat(resumed.kind()).isEqualTo("deploy");
    assertThat(resumed.version()).isEqualTo("2.0.0");
    assertThat(resumed.follows()).isEqualTo(id);
    assertThat(resumed.requestedBy()).isEqualTo("bob");
    assertThat(resumed.reason()).isEqualTo("resumes " + id + ": ship it");
    assertThat(resumed.hosts()).extracting(HostProgress::host).containsExactly("web-1", "web-2");
    DeployRequest again = input(WorkflowIds.deploy("hello"), DeployRequest.class);
    assertThat(again.deploymentId()).isEqualTo(resumed.id());
    assertThat(again.hosts()).isEqualTo(first.hosts());
    assertThat(again.strategy()).isEqualTo(first.strategy());
    assertThat(again.healthyDeadlineMillis()).isEqualTo(45_000);
    DeploymentView old = service.view(id);
    assertThat(old.state()).isEqualTo("INTERRUPTED");
    assertThat(old.endedBy()).isEqualTo(resumed.id());
    assertThat(old.cause()).endsWith("; resumed by " + resumed.id());
    // "Before" is before the deploy that was interrupted: the canary it switched counts as
    // switched.
    DeploymentRow row = deployments.find(resumed.id()).orElseThrow();
    assertThat(row.hostsBefore()).containsEntry("web-1", "1.0.0");
  }

  @Test
  void aDeploymentIsResumedOnlyOnce() {
    String id = deployOf200();
    restart(id);
    String resumed = service.resume(id, "bob").id();
    restart(resumed);

    ApiException e = refused(() -> service.resume(id, "bob"));

    assertThat(e.type()).isEqualTo("ALREADY_ENDED");
    assertThat(e.getMessage()).contains("resumed by " + resumed).contains("GET /v1/deployments/");
  }

  @Test
  void revertRollsBackTheHostsItSwitchedAndEndsTheInterruptedOne() {
    String id = deployOf200();
    restart(id);
    report("web-1", "2.0.0", "1.0.0");

    DeploymentView revert = service.revert(id, "bob");

    assertThat(revert.kind()).isEqualTo("rollback");
    assertThat(revert.version()).isEqualTo("1.0.0");
    assertThat(revert.follows()).isEqualTo(id);
    assertThat(revert.hosts()).extracting(HostProgress::host).containsExactly("web-1");
    RollbackRequest request = input(WorkflowIds.rollback("hello"), RollbackRequest.class);
    assertThat(request.hosts()).containsExactly("web-1");
    assertThat(request.release().version()).isEqualTo("1.0.0");
    DeploymentView old = service.view(id);
    assertThat(old.endedBy()).isEqualTo(revert.id());
    assertThat(old.cause()).contains("reverted by " + revert.id()).contains("web-1");
    assertThat(refused(() -> service.revert(id, "bob")).type()).isEqualTo("ALREADY_ENDED");
  }

  @Test
  void revertWithNoHostSwitchedEndsItWithoutARollback() {
    String id = deployOf200();
    restart(id);

    DeploymentView ended = service.revert(id, "bob");

    assertThat(ended.id()).isEqualTo(id);
    assertThat(ended.state()).isEqualTo("INTERRUPTED");
    assertThat(ended.cause()).contains("no host had switched to 2.0.0, nothing to put back");
    assertThat(service.list("hello")).hasSize(1);
    assertThat(refused(() -> service.resume(id, "bob")).type()).isEqualTo("ALREADY_ENDED");
  }

  @Test
  void revertOfASucceededDeploymentIsRefusedWithTheRollbackToUse() {
    String id = deployOf200();
    deployments.updateState(
        id, DeploymentState.SUCCEEDED.name(), null, List.of(), System.currentTimeMillis());

    ApiException e = refused(() -> service.revert(id, "bob"));

    assertThat(e.type()).isEqualTo("NOT_INTERRUPTED");
    assertThat(e.getMessage()).contains("is SUCCEEDED").contains("POST /v1/apps/hello/rollback");
  }

  @Test
  void resumeOfAFinishedDeploymentIsRefused() {
    String id = deployOf200();
    deployments.updateState(
        id, DeploymentState.FAILED.name(), "broken", List.of(), System.currentTimeMillis());

    assertThat(refused(() -> service.resume(id, "bob")).type()).isEqualTo("DEPLOYMENT_FINISHED");
  }

  @Test
  void resumeOfAnInterruptedRollbackIsRefusedWithTheRevertToUse() {
    report("web-1", "2.0.0", "1.0.0");
    String id =
        service
            .rollback("hello", new RollbackBody(null, List.of("web-1"), null, null, null), "a")
            .id();
    restart(id);

    ApiException e = refused(() -> service.resume(id, "bob"));

    assertThat(e.type()).isEqualTo("NOT_A_DEPLOY");
    assertThat(e.getMessage()).contains("/revert");
  }

  @Test
  void anInterruptedDeploymentThatANewerOneFollowedIsNotResumed() {
    String id = deployOf200();
    restart(id);
    report("web-1", "2.0.0", "1.0.0");
    String rollback =
        service
            .rollback("hello", new RollbackBody(null, List.of("web-1"), null, null, null), "a")
            .id();

    ApiException e = refused(() -> service.resume(id, "bob"));

    assertThat(e.type()).isEqualTo("SUPERSEDED");
    assertThat(e.getMessage()).startsWith(rollback + " (rollback of 1.0.0) started after " + id);
    assertThat(refused(() -> service.revert(id, "bob")).type()).isEqualTo("SUPERSEDED");
  }

  @Test
  void resumeOfARunningDeployIsTheResumeSignal() {
    String id = deployOf200();

    DeploymentView view = service.resume(id, "bob");

    assertThat(view.id()).isEqualTo(id);
    assertThat(
            temporal
                .getWorkflowClient()
                .fetchHistory(WorkflowIds.deploy("hello"))
                .getHistory()
                .getEventsList())
        .anySatisfy(
            event ->
                assertThat(event.getWorkflowExecutionSignaledEventAttributes().getSignalName())
                    .isEqualTo("resume"));
    assertThat(deployments.listByApp("hello")).hasSize(1);
  }
}
