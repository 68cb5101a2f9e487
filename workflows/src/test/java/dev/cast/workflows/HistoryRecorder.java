package dev.cast.workflows;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.cast.workflows.deploy.DeployRequest;
import dev.cast.workflows.deploy.DeployWorkflow;
import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.ServiceActivities;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.rollback.RollbackRequest;
import dev.cast.workflows.rollback.RollbackWorkflow;
import dev.cast.workflows.service.ServiceControlRequest;
import dev.cast.workflows.service.ServiceControlWorkflow;
import dev.cast.workflows.service.ServiceControlWorkflowImpl;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.TaskQueues;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories {@link ReplayTest} replays. Run it after a deliberate, versioned change to
 * a workflow: {@code mvn -pl workflows test -Dtest=HistoryRecorder -Dcast.recordHistories=true}.
 */
@EnabledIfSystemProperty(named = "cast.recordHistories", matches = "true")
class HistoryRecorder extends RolloutTestBase {
  private static final Path DIR = Path.of("src/test/resources/histories");

  @Test
  void recordDeploySuccess() throws Exception {
    host("a", "1.0.0");
    host("b", "1.0.0");
    env.start();
    stub(DeployWorkflow.class, WorkflowIds.deploy("hello"))
        .run(new DeployRequest("d-1", V2, List.of("a", "b"), 30_000, 5, null));
    save("deploy/success.json", WorkflowIds.deploy("hello"));
  }

  @Test
  void recordDeployRolledBack() throws Exception {
    host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    when(b.awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000)))
        .thenThrow(failure("SERVICE_UNHEALTHY", "never healthy"));
    env.start();
    stub(DeployWorkflow.class, WorkflowIds.deploy("hello"))
        .run(new DeployRequest("d-1", V2, List.of("a", "b"), 30_000, 5, null));
    save("deploy/rolled-back.json", WorkflowIds.deploy("hello"));
  }

  @Test
  void recordRollback() throws Exception {
    ReleaseActivities a = host("a", "3.0.0");
    when(a.pruneReleases(any())).thenReturn(null);
    env.start();
    stub(RollbackWorkflow.class, WorkflowIds.rollback("hello"))
        .run(new RollbackRequest("r-1", V2, List.of("a"), 10_000, 0, 0, null, 0, false));
    save("rollback/success.json", WorkflowIds.rollback("hello"));
  }

  @Test
  void recordDeployWithMinHealthyTime() throws Exception {
    host("a", "1.0.0");
    env.start();
    stub(DeployWorkflow.class, WorkflowIds.deploy("hello"))
        .run(
            new DeployRequest(
                "d-1", V2, List.of("a"), 30_000, 5, new Strategy(1, 0, false, 5_000)));
    save("deploy/min-healthy.json", WorkflowIds.deploy("hello"));
  }

  @Test
  void recordRollbackPerHost() throws Exception {
    host("a", "3.0.0");
    ReleaseActivities b = host("b", "3.1.0");
    ReleaseRef v21 =
        new ReleaseRef("hello", "2.1.0", "def456", 100, "/v1/apps/hello/releases/2.1.0/bundle");
    when(b.stageRelease(any())).thenReturn(new StagedRelease("2.1.0", "3.1.0", false));
    env.start();
    stub(RollbackWorkflow.class, WorkflowIds.rollback("hello"))
        .run(
            new RollbackRequest(
                "r-1", V2, List.of("a", "b"), 10_000, 0, 0, Map.of("b", v21), 0, false));
    save("rollback/per-host.json", WorkflowIds.rollback("hello"));
  }

  @Test
  void recordServiceRollingRestart() throws Exception {
    serviceHost("a");
    serviceHost("b");
    controlService("restart", List.of("a", "b"), 1);
    save("service/rolling-restart.json", WorkflowIds.control("hello", "op-1"));
  }

  @Test
  void recordServiceParallelStop() throws Exception {
    serviceHost("a");
    serviceHost("b");
    controlService("stop", List.of("a", "b"), 2);
    save("service/parallel-stop.json", WorkflowIds.control("hello", "op-1"));
  }

  @Test
  void recordServiceRestartFailed() throws Exception {
    ServiceActivities a = serviceHost("a");
    serviceHost("b");
    when(a.awaitServiceHealthy(any()))
        .thenThrow(failure("SERVICE_UNHEALTHY", "web: GET /health answered 500"));
    controlService("restart", List.of("a", "b"), 1);
    save("service/failed.json", WorkflowIds.control("hello", "op-1"));
  }

  @Test
  void recordDeployInParts() throws Exception {
    host("a", "1.0.0");
    ReleaseActivities b = host("b", "1.0.0");
    CountDownLatch switching = new CountDownLatch(1);
    when(b.activateRelease(any()))
        .thenAnswer(
            call -> {
              switching.await();
              return new Activation("b", "10.0.0.2", "1.0.0", List.of(), null);
            });
    host("c", "1.0.0");
    env.start();
    String id = WorkflowIds.deploy("hello");
    DeployWorkflow workflow = stub(DeployWorkflow.class, id);
    // A canary that waits for a promote, then parts of two hosts: a pause sent while b switches
    // reaches the part that runs b, and holds it before c's batch until the resume.
    WorkflowClient.start(
        workflow::run,
        new DeployRequest(
            "d-1", V2, List.of("a", "b", "c"), 30_000, 5, new Strategy(1, 1, true, 0), 0, 2));
    await(() -> "awaiting promote".equals(live(workflow).phase()));
    workflow.promote();
    await(() -> "activating".equals(live(workflow).hosts().get(1).state()));
    workflow.pause();
    Thread.sleep(500);
    switching.countDown();
    await(() -> "paused".equals(live(workflow).phase()));
    workflow.resume();
    WorkflowStub.fromTyped(workflow).getResult(DeploymentProgress.class);
    save("deploy/in-parts.json", id);
    save("part/stage.json", WorkflowIds.part(id, "d-1", "stage-1"));
    save("part/switch-paused.json", WorkflowIds.part(id, "d-1", "switch-2"));
    save("part/prune.json", WorkflowIds.part(id, "d-1", "prune-1"));
  }

  @Test
  void recordDeployInPartsRolledBack() throws Exception {
    host("a", "1.0.0");
    host("b", "1.0.0");
    ReleaseActivities c = host("c", "1.0.0");
    when(c.awaitHealthy(new HealthRequest("hello", "2.0.0", 30_000)))
        .thenThrow(failure("SERVICE_UNHEALTHY", "never healthy"));
    env.start();
    String id = WorkflowIds.deploy("hello");
    stub(DeployWorkflow.class, id)
        .run(
            new DeployRequest(
                "d-1", V2, List.of("a", "b", "c"), 30_000, 5, Strategy.serial(), 0, 2));
    save("deploy/in-parts-rolled-back.json", id);
    save("part/switch-failed.json", WorkflowIds.part(id, "d-1", "switch-2"));
    save("part/revert.json", WorkflowIds.part(id, "d-1", "revert-1"));
  }

  @Test
  void recordRollbackInParts() throws Exception {
    host("a", "3.0.0");
    host("b", "3.0.0");
    host("c", "3.0.0");
    env.start();
    stub(RollbackWorkflow.class, WorkflowIds.rollback("hello"))
        .run(new RollbackRequest("r-1", V2, List.of("a", "b", "c"), 10_000, 0, 0, null, 2, false));
    save("rollback/in-parts.json", WorkflowIds.rollback("hello"));
  }

  private static void await(BooleanSupplier until) throws Exception {
    long end = System.nanoTime() + 10_000_000_000L;
    while (!until.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("waited 10 s in vain");
      }
      Thread.sleep(20);
    }
  }

  /** A host whose service answers running and healthy. */
  private ServiceActivities serviceHost(String name) {
    ServiceActivities host = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    ServiceStatus running =
        new ServiceStatus(
            name, "hello", "web", "1.0.0", "running", 42L, null, 0, "passing", "", null, true);
    when(host.controlService(any())).thenReturn(running);
    when(host.awaitServiceHealthy(any())).thenReturn(running);
    env.newWorker(TaskQueues.host(name)).registerActivitiesImplementations(host);
    return host;
  }

  @Test
  void recordServiceRestartInParts() throws Exception {
    serviceHost("a");
    serviceHost("b");
    serviceHost("c");
    env.getWorkerFactory()
        .getWorker(TaskQueues.CONTROL)
        .registerWorkflowImplementationTypes(ServiceControlWorkflowImpl.class);
    env.start();
    stub(ServiceControlWorkflow.class, WorkflowIds.control("hello", "op-1"))
        .run(
            new ServiceControlRequest(
                "op-1", "hello", "web", "restart", List.of("a", "b", "c"), 1, 5_000, 2, false));
    save("service/in-parts.json", WorkflowIds.control("hello", "op-1"));
    save("service/part.json", WorkflowIds.control("hello", "op-1") + "/part-1");
  }

  private void controlService(String action, List<String> hostNames, int maxParallel) {
    env.getWorkerFactory()
        .getWorker(TaskQueues.CONTROL)
        .registerWorkflowImplementationTypes(ServiceControlWorkflowImpl.class);
    env.start();
    stub(ServiceControlWorkflow.class, WorkflowIds.control("hello", "op-1"))
        .run(
            new ServiceControlRequest(
                "op-1", "hello", "web", action, hostNames, maxParallel, 5_000));
  }

  private void save(String name, String workflowId) throws Exception {
    Path file = DIR.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, client.fetchHistory(workflowId).toJson(true));
  }
}
