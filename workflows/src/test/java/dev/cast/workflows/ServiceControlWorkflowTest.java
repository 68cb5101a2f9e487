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

  @Test
  void aStopDoesNotWaitForHealth() {
    ServiceActivities a = serviceHost("a");

    DeploymentProgress result = control("stop", 2);

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    verify(a).controlService(new ServiceCommand("op-1", "hello", "web", "stop"));
    verify(a, never()).awaitServiceHealthy(any());
  }
}
