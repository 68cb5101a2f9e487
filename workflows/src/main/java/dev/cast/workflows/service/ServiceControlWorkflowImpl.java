package dev.cast.workflows.service;

import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.host.ServiceActivities;
import dev.cast.workflows.host.ServiceCommand;
import dev.cast.workflows.host.ServiceHealthRequest;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.rollout.LegacyPaths;
import dev.cast.workflows.rollout.PartPlan;
import dev.cast.workflows.rollout.Promises;
import dev.cast.workflows.rollout.RolloutProgress;
import dev.cast.workflows.shared.ActivityProfiles;
import dev.cast.workflows.shared.CastSearch;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.Failures;
import dev.cast.workflows.shared.HostState;
import dev.cast.workflows.shared.Limits;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

public class ServiceControlWorkflowImpl implements ServiceControlWorkflow {
  private final CatalogActivities catalog =
      Workflow.newActivityStub(
          CatalogActivities.class, ActivityProfiles.quickCall(TaskQueues.CONTROL));
  // Replaced when the run starts; a query answered before then sees no host and no id.
  private RolloutProgress progress = new RolloutProgress(null, List.of());
  // The part running now, when the operation runs in parts (its query answers for its hosts).
  private String runningPart;

  @Override
  public DeploymentProgress run(ServiceControlRequest request) {
    progress = new RolloutProgress(request.operationId(), request.hosts());
    progress.onPhase(CastSearch::phase);
    String invalid =
        Limits.outside(
            "healthyDeadline",
            request.healthyDeadlineMillis(),
            Limits.MIN_HEALTHY_DEADLINE,
            Limits.MAX_HEALTHY_DEADLINE);
    if (invalid != null) {
      // Timeouts computed from it would fail every workflow task; nothing was done on any host.
      progress.end(DeploymentState.FAILED);
      progress.cause("INVALID_REQUEST: " + invalid + "; nothing was changed on any host");
      DeploymentProgress refused = progress.snapshot();
      catalog.recordDeployment(refused);
      return refused;
    }
    if (!request.part()
        && PartPlan.needsParts(request.hosts().size(), request.hostsPerPart())
        && LegacyPaths.serviceControlInParts()) {
      return inParts(request);
    }
    if (!request.part()) {
      catalog.recordDeployment(progress.snapshot());
    }
    try {
      progress.phase(request.action() + " " + request.service());
      int size = Math.max(1, request.maxParallel());
      for (int i = 0; i < request.hosts().size(); i += size) {
        List<String> batch = request.hosts().subList(i, Math.min(i + size, request.hosts().size()));
        List<Promise<Void>> running = new ArrayList<>();
        for (String host : batch) {
          running.add(Async.procedure(this::onHost, request, host));
        }
        Promises.awaitAll(running);
      }
      progress.end(DeploymentState.SUCCEEDED);
    } catch (ActivityFailure failure) {
      progress.end(DeploymentState.FAILED);
    }
    progress.phase("done");
    DeploymentProgress result = progress.snapshot();
    if (!request.part()) {
      catalog.recordDeployment(result);
    }
    return result;
  }

  /**
   * The operation in parts, one after another, each a child workflow of this type on at most {@code
   * hostsPerPart} hosts (whole batches of {@code maxParallel}), so no history grows with the number
   * of hosts: this one grows with its parts. A part that does not succeed ends the operation, as a
   * host that fails ends a one-workflow run.
   */
  private DeploymentProgress inParts(ServiceControlRequest request) {
    catalog.recordDeployment(progress.snapshot());
    List<String> hosts = request.hosts();
    int batch = Math.max(1, request.maxParallel());
    int perPart = Math.max(batch, PartPlan.hostsPerPart(request.hostsPerPart()) / batch * batch);
    int parts = (hosts.size() + perPart - 1) / perPart;
    DeploymentState end = DeploymentState.SUCCEEDED;
    for (int i = 0; i < parts; i++) {
      List<String> partHosts =
          hosts.subList(i * perPart, Math.min((i + 1) * perPart, hosts.size()));
      progress.phase(request.action() + " " + request.service(), i + 1, parts);
      runningPart = Workflow.getInfo().getWorkflowId() + "/part-" + (i + 1);
      ServiceControlWorkflow part =
          Workflow.newChildWorkflowStub(
              ServiceControlWorkflow.class,
              ChildWorkflowOptions.newBuilder()
                  .setWorkflowId(runningPart)
                  .setTaskQueue(TaskQueues.CONTROL)
                  .build());
      DeploymentProgress done = part.run(request.partOn(partHosts));
      runningPart = null;
      progress.update(done.hosts());
      if (done.state() != DeploymentState.SUCCEEDED) {
        end = done.state();
        progress.causeIfNone(done.cause());
        break;
      }
    }
    progress.end(end);
    progress.phase("done");
    DeploymentProgress result = progress.snapshot();
    catalog.recordDeployment(result);
    return result;
  }

  private void onHost(ServiceControlRequest request, String host) {
    long deadline = request.healthyDeadlineMillis();
    try {
      progress.mark(host, HostState.WORKING, request.action() + " " + request.service());
      ServiceStatus status =
          stub(host, deadline, "ControlService")
              .controlService(
                  new ServiceCommand(
                      request.operationId(), request.app(), request.service(), request.action()));
      if (request.startsService()) {
        progress.mark(host, HostState.WORKING, "waiting for health checks");
        status =
            stub(host, deadline, "AwaitServiceHealthy")
                .awaitServiceHealthy(
                    new ServiceHealthRequest(
                        request.app(), request.service(), request.healthyDeadlineMillis()));
      }
      // The host ends in its service's own state (running, stopped …), not a rollout state.
      progress.markReported(host, status.state(), describe(status));
    } catch (ActivityFailure failure) {
      progress.hostFailed(host, Failures.describe(failure));
      throw failure;
    }
  }

  private static String describe(ServiceStatus status) {
    return status.pid() == null
        ? status.state()
        : status.state() + " as pid " + status.pid() + ", health " + status.health();
  }

  private ServiceActivities stub(String host, long deadlineMillis, String step) {
    return Workflow.newActivityStub(
        ServiceActivities.class,
        ActivityOptions.newBuilder(
                ActivityProfiles.serviceLifecycle(TaskQueues.host(host), deadlineMillis))
            .setSummary(step + " " + host)
            .build());
  }

  @Override
  public DeploymentProgress progress() {
    return runningPart == null ? progress.snapshot() : progress.snapshot(List.of(runningPart));
  }
}
