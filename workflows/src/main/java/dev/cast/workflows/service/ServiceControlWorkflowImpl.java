package dev.cast.workflows.service;

import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.host.ServiceActivities;
import dev.cast.workflows.host.ServiceCommand;
import dev.cast.workflows.host.ServiceHealthRequest;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.rollout.Promises;
import dev.cast.workflows.shared.ActivityProfiles;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.Failures;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.Limits;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class ServiceControlWorkflowImpl implements ServiceControlWorkflow {
  private final CatalogActivities catalog =
      Workflow.newActivityStub(
          CatalogActivities.class, ActivityProfiles.quickCall(TaskQueues.CONTROL));
  private final Map<String, HostProgress> hosts = new LinkedHashMap<>();
  private String operationId;
  private DeploymentState state = DeploymentState.RUNNING;
  private String cause;

  @Override
  public DeploymentProgress run(ServiceControlRequest request) {
    operationId = request.operationId();
    for (String host : request.hosts()) {
      hosts.put(host, new HostProgress(host, "pending", "waiting"));
    }
    String invalid =
        Limits.outside(
            "healthyDeadline",
            request.healthyDeadlineMillis(),
            Limits.MIN_HEALTHY_DEADLINE,
            Limits.MAX_HEALTHY_DEADLINE);
    if (invalid != null) {
      // Timeouts computed from it would fail every workflow task; nothing was done on any host.
      state = DeploymentState.FAILED;
      cause = "INVALID_REQUEST: " + invalid + "; nothing was changed on any host";
      DeploymentProgress refused = progress();
      catalog.recordDeployment(refused);
      return refused;
    }
    catalog.recordDeployment(progress());
    try {
      int size = Math.max(1, request.maxParallel());
      for (int i = 0; i < request.hosts().size(); i += size) {
        List<String> batch = request.hosts().subList(i, Math.min(i + size, request.hosts().size()));
        List<Promise<Void>> running = new ArrayList<>();
        for (String host : batch) {
          running.add(Async.procedure(this::onHost, request, host));
        }
        Promises.awaitAll(running);
      }
      state = DeploymentState.SUCCEEDED;
    } catch (ActivityFailure failure) {
      state = DeploymentState.FAILED;
    }
    DeploymentProgress result = progress();
    catalog.recordDeployment(result);
    return result;
  }

  private void onHost(ServiceControlRequest request, String host) {
    ServiceActivities service = stub(host, request.healthyDeadlineMillis());
    try {
      mark(host, "working", request.action() + " " + request.service());
      ServiceStatus status =
          service.controlService(
              new ServiceCommand(operationId, request.app(), request.service(), request.action()));
      if (request.startsService()) {
        mark(host, "working", "waiting for health checks");
        status =
            service.awaitServiceHealthy(
                new ServiceHealthRequest(
                    request.app(), request.service(), request.healthyDeadlineMillis()));
      }
      mark(host, status.state(), describe(status));
    } catch (ActivityFailure failure) {
      String what = Failures.describe(failure);
      mark(host, "failed", what);
      if (cause == null) {
        cause = "host " + host + ": " + what;
      }
      throw failure;
    }
  }

  private static String describe(ServiceStatus status) {
    return status.pid() == null
        ? status.state()
        : status.state() + " as pid " + status.pid() + ", health " + status.health();
  }

  private ServiceActivities stub(String host, long deadlineMillis) {
    return Workflow.newActivityStub(
        ServiceActivities.class,
        ActivityProfiles.serviceLifecycle(TaskQueues.host(host), deadlineMillis));
  }

  private void mark(String host, String hostState, String message) {
    hosts.put(host, new HostProgress(host, hostState, message));
  }

  @Override
  public DeploymentProgress progress() {
    return new DeploymentProgress(operationId, state, cause, List.copyOf(hosts.values()));
  }
}
