package dev.cast.workflows.shared;

import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.catalog.HostActivation;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.HookRequest;
import dev.cast.workflows.host.PruneRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.host.StagedRelease;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The steps deploy and rollback share, run inside a workflow: stage a release on hosts, activate it
 * host by host with a compensation registered before each step, and keep the live progress the
 * {@code progress} query returns. Workflow code only: no I/O.
 */
public final class Rollout {
  private static final Logger log = Workflow.getLogger(Rollout.class);

  private final String deploymentId;
  private final ReleaseRef release;
  private final long healthyDeadlineMillis;
  private final Map<String, HostProgress> hosts = new LinkedHashMap<>();
  private final Map<String, StagedRelease> staged = new HashMap<>();
  private final Saga saga =
      new Saga(new Saga.Options.Builder().setParallelCompensation(true).build());
  private final CatalogActivities catalog =
      Workflow.newActivityStub(
          CatalogActivities.class, ActivityProfiles.quickCall(TaskQueues.CONTROL));
  private DeploymentState state = DeploymentState.RUNNING;
  private String cause;

  public Rollout(
      String deploymentId, ReleaseRef release, List<String> hostNames, long healthyDeadlineMillis) {
    this.deploymentId = deploymentId;
    this.release = release;
    this.healthyDeadlineMillis = healthyDeadlineMillis;
    for (String host : hostNames) {
      hosts.put(host, new HostProgress(host, "pending", "waiting"));
    }
  }

  /** Work that may fail; turns its failure into compensation and a final state. */
  public interface Steps {
    void run();
  }

  /**
   * Records RUNNING, runs the steps, compensates on failure or cancellation, records and returns
   * the final state.
   */
  public DeploymentProgress run(Steps steps) {
    catalog.recordDeployment(snapshot());
    try {
      steps.run();
      state = DeploymentState.SUCCEEDED;
    } catch (ActivityFailure failure) {
      if (cause == null) {
        cause = Failures.describe(failure);
      }
      log.warn("deployment {} failed, reverting: {}", deploymentId, cause);
      compensate(DeploymentState.ROLLED_BACK);
    } catch (CanceledFailure cancelled) {
      cause = "cancelled by request";
      compensate(DeploymentState.CANCELLED);
    }
    DeploymentProgress result = snapshot();
    Workflow.newDetachedCancellationScope(() -> catalog.recordDeployment(result)).run();
    return result;
  }

  private void compensate(DeploymentState endState) {
    // Detached: a cancel must not skip the undo. Hosts are reverted in parallel.
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                saga.compensate();
                state = endState;
              } catch (RuntimeException e) {
                state = DeploymentState.FAILED;
                cause = cause + "; reverting also failed: " + Failures.describe(e);
              }
            })
        .run();
  }

  /** Stages the release on every host at once. */
  public void stageAll() {
    List<Promise<Void>> all = new ArrayList<>();
    for (String host : hosts.keySet()) {
      all.add(Async.procedure(this::stage, host));
    }
    awaitAll(all);
  }

  private void stage(String host) {
    mark(host, "staging", "fetching " + release.version());
    StagedRelease result = onHost(host, () -> fetchStub(host).stageRelease(release.stageRequest()));
    staged.put(host, result);
    mark(host, "staged", result.fetched() ? "fetched and unpacked" : "already on the host");
  }

  /** Runs one host's step; a failure marks the host and becomes the deployment's cause. */
  private <T> T onHost(String host, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (ActivityFailure failure) {
      String what = Failures.describe(failure);
      mark(host, "failed", what);
      if (cause == null) {
        cause = "host " + host + ": " + what;
      }
      throw failure;
    }
  }

  /**
   * Switches one host to the release and waits until it is healthy. The revert is registered before
   * the switch, so a switch that timed out half-way is still undone.
   */
  public void activate(String host, boolean runPostActivate) {
    String previous = staged.get(host).currentVersion();
    boolean switching = !release.version().equals(previous);
    ReleaseActivities lifecycle = lifecycleStub(host);
    if (switching) {
      // Re-activating the current release only makes sure its services run: nothing to undo.
      saga.addCompensation(() -> revert(host, previous));
    }
    mark(host, "activating", "switching from " + (previous == null ? "nothing" : previous));
    Activation activation =
        onHost(
            host,
            () ->
                lifecycle.activateRelease(
                    new ActivateRequest(deploymentId, release.app(), release.version())));
    mark(host, "activating", "started, waiting for health checks");
    onHost(
        host,
        () ->
            lifecycle.awaitHealthy(
                new HealthRequest(release.app(), release.version(), healthyDeadlineMillis)));
    if (runPostActivate) {
      onHost(
          host,
          () -> {
            lifecycle.runHook(new HookRequest(release.app(), release.version(), "post_activate"));
            return null;
          });
    }
    if (switching) {
      saga.addCompensation(() -> catalog.restoreCurrent(release.app(), host, previous));
    }
    catalog.recordActivation(
        new HostActivation(
            deploymentId,
            release.app(),
            release.version(),
            host,
            activation.address(),
            previous,
            activation.endpoints()));
    mark(host, "healthy", release.version() + " is serving");
  }

  private void revert(String host, String previous) {
    mark(host, "reverting", "going back to " + (previous == null ? "nothing" : previous));
    ReleaseActivities lifecycle = lifecycleStub(host);
    lifecycle.revertRelease(
        new RevertRequest(deploymentId, release.app(), release.version(), previous));
    if (previous != null) {
      // ROLLED_BACK promises the previous release serves again, not just that it was started.
      lifecycle.awaitHealthy(new HealthRequest(release.app(), previous, healthyDeadlineMillis));
    }
    mark(host, "reverted", previous == null ? "stopped" : previous + " is serving again");
  }

  /** Removes old releases on every host; a failure here does not fail the deployment. */
  public void pruneAll(int keep) {
    for (String host : hosts.keySet()) {
      try {
        quickStub(host).pruneReleases(new PruneRequest(release.app(), keep));
      } catch (ActivityFailure e) {
        log.warn("pruning on {} failed: {}", host, Failures.describe(e));
      }
    }
  }

  public DeploymentProgress snapshot() {
    return new DeploymentProgress(deploymentId, state, cause, List.copyOf(hosts.values()));
  }

  private void mark(String host, String hostState, String message) {
    hosts.put(host, new HostProgress(host, hostState, message));
  }

  /** Waits for every promise, then rethrows the first failure, so no step is left running. */
  public static void awaitAll(List<? extends Promise<?>> promises) {
    RuntimeException first = null;
    for (Promise<?> promise : promises) {
      try {
        promise.get();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private ReleaseActivities fetchStub(String host) {
    return Workflow.newActivityStub(
        ReleaseActivities.class, ActivityProfiles.bundleFetch(TaskQueues.host(host)));
  }

  private ReleaseActivities quickStub(String host) {
    return Workflow.newActivityStub(
        ReleaseActivities.class, ActivityProfiles.quickCall(TaskQueues.host(host)));
  }

  private ReleaseActivities lifecycleStub(String host) {
    return Workflow.newActivityStub(
        ReleaseActivities.class,
        ActivityProfiles.serviceLifecycle(TaskQueues.host(host), healthyDeadlineMillis));
  }
}
