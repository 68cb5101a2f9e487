package dev.cast.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.cast.workflows.host.ServiceActivities;
import dev.cast.workflows.host.ServiceCommand;
import dev.cast.workflows.host.ServiceHealthRequest;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.service.ServiceControlRequest;
import dev.cast.workflows.service.ServiceControlWorkflow;
import dev.cast.workflows.service.ServiceControlWorkflowImpl;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.TaskQueues;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class ServiceControlWorkflowTest extends RolloutTestBase {
  private final Map<String, ServiceActivities> services = new LinkedHashMap<>();

  @BeforeEach
  void registerControlWorkflow() {
    env.getWorkerFactory()
        .getWorker(TaskQueues.CONTROL)
        .registerWorkflowImplementationTypes(ServiceControlWorkflowImpl.class);
  }

  private ServiceActivities serviceHost(String name) {
    ServiceActivities host = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    ServiceStatus running =
        new ServiceStatus(
            name, "hello", "web", "1.0.0", "running", 42L, null, 0, "passing", "", null, true);
    when(host.controlService(any())).thenReturn(running);
    when(host.awaitServiceHealthy(any())).thenReturn(running);
    env.newWorker(TaskQueues.host(name)).registerActivitiesImplementations(host);
    services.put(name, host);
    return host;
  }

  private DeploymentProgress control(String action, int maxParallel) {
    env.start();
    ServiceControlWorkflow workflow =
        stub(ServiceControlWorkflow.class, WorkflowIds.control("hello", "op-1"));
    return workflow.run(
        new ServiceControlRequest(
            "op-1", "hello", "web", action, List.copyOf(services.keySet()), maxParallel, 5_000));
  }

  @Test
  void aRollingRestartWaitsForEachHostToBeHealthyBeforeTheNext() {
    ServiceActivities a = serviceHost("a");
    ServiceActivities b = serviceHost("b");

    DeploymentProgress result = control("restart", 1);

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(result.hosts()).extracting(HostProgress::state).containsOnly("running");
    InOrder order = inOrder(a, b);
    order.verify(a).controlService(new ServiceCommand("op-1", "hello", "web", "restart"));
    order.verify(a).awaitServiceHealthy(new ServiceHealthRequest("hello", "web", 5_000));
    order.verify(b).controlService(new ServiceCommand("op-1", "hello", "web", "restart"));
    order.verify(b).awaitServiceHealthy(new ServiceHealthRequest("hello", "web", 5_000));
  }

  @Test
  void stopsAtTheFirstHostThatFails() {
    ServiceActivities a = serviceHost("a");
    ServiceActivities b = serviceHost("b");
    when(a.awaitServiceHealthy(any()))
        .thenThrow(failure("SERVICE_UNHEALTHY", "web: GET /health answered 500"));

    DeploymentProgress result = control("restart", 1);

    assertThat(result.state()).isEqualTo(DeploymentState.FAILED);
    assertThat(result.cause()).contains("host a").contains("SERVICE_UNHEALTHY");
    verify(b, never()).controlService(any());
  }

  private DeploymentProgress controlInParts(String action, int maxParallel, int hostsPerPart) {
    env.start();
    ServiceControlWorkflow workflow =
        stub(ServiceControlWorkflow.class, WorkflowIds.control("hello", "op-1"));
    return workflow.run(
        new ServiceControlRequest(
            "op-1",
            "hello",
            "web",
            action,
            List.copyOf(services.keySet()),
            maxParallel,
            5_000,
            hostsPerPart,
            false));
  }

  /** The child workflows the operation started, by id, from its own history. */
  private List<String> partsStarted() {
    return env
        .getWorkflowClient()
        .fetchHistory(WorkflowIds.control("hello", "op-1"))
        .getEvents()
        .stream()
        .filter(HistoryEvent::hasStartChildWorkflowExecutionInitiatedEventAttributes)
        .map(e -> e.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId())
        .toList();
  }

  @Test
  void anOperationOnMoreHostsThanAPartTakesRunsInPartsOfWholeBatches() {
    List<ServiceActivities> hosts = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      hosts.add(serviceHost(name));
    }

    DeploymentProgress result = controlInParts("restart", 2, 3);

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(result.hosts())
        .extracting(HostProgress::host)
        .containsExactly("a", "b", "c", "d", "e");
    assertThat(result.hosts()).extracting(HostProgress::state).containsOnly("running");
    // Parts of 2 hosts (3 rounded down to whole batches of 2): a b, c d, e.
    assertThat(partsStarted())
        .containsExactly(
            WorkflowIds.control("hello", "op-1") + "/part-1",
            WorkflowIds.control("hello", "op-1") + "/part-2",
            WorkflowIds.control("hello", "op-1") + "/part-3");
    // Parts run one after another (the hosts of one batch side by side): a, then c, then e.
    InOrder order = inOrder(hosts.get(0), hosts.get(2), hosts.get(4));
    for (int i : new int[] {0, 2, 4}) {
      order
          .verify(hosts.get(i))
          .controlService(new ServiceCommand("op-1", "hello", "web", "restart"));
    }
  }

  @Test
  void aPartThatFailsEndsTheOperationBeforeTheNextPart() {
    serviceHost("a");
    ServiceActivities b = serviceHost("b");
    ServiceActivities c = serviceHost("c");
    when(b.awaitServiceHealthy(any()))
        .thenThrow(failure("SERVICE_UNHEALTHY", "web: GET /health answered 500"));

    DeploymentProgress result = controlInParts("restart", 1, 1);

    assertThat(result.state()).isEqualTo(DeploymentState.FAILED);
    assertThat(result.cause()).contains("host b").contains("SERVICE_UNHEALTHY");
    assertThat(partsStarted()).hasSize(2);
    verify(c, never()).controlService(any());
  }

  @Test
  void aStopDoesNotWaitForHealth() {
    ServiceActivities a = serviceHost("a");

    DeploymentProgress result = control("stop", 2);

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    verify(a).controlService(new ServiceCommand("op-1", "hello", "web", "stop"));
    verify(a, never()).awaitServiceHealthy(any());
  }
}
