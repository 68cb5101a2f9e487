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
import dev.cast.workflows.host.StageRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.host.SwitchRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  // A host's own target where it differs from {@code release} (a rollback to each host's previous).
  private final Map<String, ReleaseRef> perHost;
  private final RolloutPolicy policy;
  private final Map<String, HostProgress> hosts = new LinkedHashMap<>();
  private final Map<String, StagedRelease> staged = new HashMap<>();
  private final Set<String> unreachable = new LinkedHashSet<>();
  // Hosts the api reported silent, and the scope of each host's step in progress.
  private final Set<String> lost = new HashSet<>();
  private final Map<String, CancellationScope> steps = new HashMap<>();
  private final Saga saga =
      new Saga(new Saga.Options.Builder().setParallelCompensation(true).build());
  private final CatalogActivities catalog =
      Workflow.newActivityStub(
          CatalogActivities.class, ActivityProfiles.quickCall(TaskQueues.CONTROL));
  private DeploymentState state = DeploymentState.RUNNING;
  private String cause;
  private String phase = "starting";
  private Integer batch;
  private Integer batches;
  private boolean finished;
  private boolean held;
  private boolean deadlinePassed;
  private long lastProgressAt;

  public Rollout(
      String deploymentId, ReleaseRef release, List<String> hostNames, RolloutPolicy policy) {
    this(deploymentId, release, Map.of(), hostNames, policy);
  }

  /**
   * A rollout in which some hosts go to a release of their own.
   *
   * @param perHost the release of each host that does not go to {@code release}
   */
  public Rollout(
      String deploymentId,
      ReleaseRef release,
      Map<String, ReleaseRef> perHost,
      List<String> hostNames,
      RolloutPolicy policy) {
    this.deploymentId = deploymentId;
    this.release = release;
    this.perHost = perHost == null ? Map.of() : Map.copyOf(perHost);
    this.policy = policy;
    for (String host : hostNames) {
      hosts.put(host, new HostProgress(host, "pending", "waiting"));
    }
  }

  /** Work that may fail; turns its failure into compensation and a final state. */
  public interface Steps {
    void run();
  }

  /** Ends the steps early: too many hosts unreachable. The cause is already set. */
  private static final class Abort extends RuntimeException {
    Abort() {
      super(null, null, false, false);
    }
  }

  /** Ends one host's part without failing the rollout: the host is unreachable. */
  private static final class SkipHost extends RuntimeException {
    SkipHost() {
      super(null, null, false, false);
    }
  }

  /**
   * Records RUNNING, runs the steps, compensates on failure or cancellation (or, with autoRevert
   * off, leaves the hosts as they are), records and returns the final state.
   */
  public DeploymentProgress run(Steps steps) {
    String invalid = Limits.violation(policy);
    if (invalid != null) {
      // Nothing was done on any host; computing timeouts with such values would fail every
      // workflow task.
      state = DeploymentState.FAILED;
      cause = "INVALID_REQUEST: " + invalid + "; nothing was changed on any host";
      phase = "done";
      finished = true;
      DeploymentProgress refused = snapshot();
      catalog.recordDeployment(refused);
      return refused;
    }
    catalog.recordDeployment(snapshot());
    lastProgressAt = Workflow.currentTimeMillis();
    CancellationScope work = Workflow.newCancellationScope(steps::run);
    if (policy.progressDeadlineMillis() > 0) {
      // Detached: a cancel request reaches the steps, and the watcher ends with them.
      Workflow.newDetachedCancellationScope(() -> Async.procedure(() -> watchProgress(work))).run();
    }
    try {
      work.run();
      finished = true;
      state = DeploymentState.SUCCEEDED;
      phase = "done";
      if (!unreachable.isEmpty()) {
        cause =
            unreachableSummary()
                + ", within maxUnavailable "
                + policy.maxUnavailable()
                + "; the rest succeeded";
      }
    } catch (ActivityFailure | CanceledFailure | Abort failure) {
      finished = true;
      if (work.isCancelRequested() && !deadlinePassed) {
        cause = "cancelled by request";
        compensate(DeploymentState.CANCELLED);
      } else {
        if (cause == null) {
          cause = Failures.describe(failure);
        }
        fail();
      }
    }
    DeploymentProgress result = snapshot();
    Workflow.newDetachedCancellationScope(() -> catalog.recordDeployment(result)).run();
    return result;
  }

  private void fail() {
    if (policy.autoRevert()) {
      log.warn("deployment {} failed, reverting: {}", deploymentId, cause);
      compensate(DeploymentState.ROLLED_BACK);
    } else {
      log.warn("deployment {} failed, autoRevert off: {}", deploymentId, cause);
      state = DeploymentState.FAILED;
      cause = cause + "; autoRevert is off, so every host stays as it is";
      phase = "done";
    }
  }

  private void compensate(DeploymentState endState) {
    phase = "reverting";
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
    phase = "done";
  }

  /**
   * Fails the rollout when no host has made progress for the progress deadline, not counting time
   * held for a promote or a resume. One timer per deadline period, whatever the number of hosts.
   */
  private void watchProgress(CancellationScope work) {
    long deadline = policy.progressDeadlineMillis();
    while (!finished) {
      if (held) {
        Workflow.await(() -> finished || !held);
        lastProgressAt = Workflow.currentTimeMillis();
        continue;
      }
      long left = lastProgressAt + deadline - Workflow.currentTimeMillis();
      if (left <= 0) {
        deadlinePassed = true;
        if (cause == null) {
          cause =
              "no host made progress for "
                  + Duration.ofMillis(deadline).toString().substring(2).toLowerCase()
                  + " (progressDeadline) while "
                  + phase;
        }
        work.cancel();
        return;
      }
      Workflow.await(Duration.ofMillis(left), () -> finished || held);
    }
  }

  /**
   * Stops the progress clock while the rollout waits for a person (a promote or a resume), and
   * restarts it when the wait ends.
   */
  public void hold(boolean waiting) {
    held = waiting;
  }

  /** What the rollout is doing, shown in its progress. */
  public void phase(String now, Integer batchNumber, Integer batchCount) {
    phase = now;
    batch = batchNumber;
    batches = batchCount;
  }

  /** Stages the release on every host at once. */
  public void stageAll() {
    phase = "staging";
    List<Promise<Void>> all = new ArrayList<>();
    List<String> staging = List.copyOf(hosts.keySet());
    // Hosts that stage the same release share its pieces among them.
    Map<String, List<String>> byVersion = new LinkedHashMap<>();
    for (String host : staging) {
      byVersion.computeIfAbsent(releaseOf(host).version(), v -> new ArrayList<>()).add(host);
    }
    for (String host : staging) {
      List<String> together = byVersion.get(releaseOf(host).version());
      all.add(
          Async.procedure(
              this::stage,
              host,
              releaseOf(host).stageRequest().asShare(together.indexOf(host), together.size())));
    }
    awaitAll(all);
  }

  /** The release a host goes to. */
  private ReleaseRef releaseOf(String host) {
    return perHost.getOrDefault(host, release);
  }

  /** The hosts not found unreachable so far, in rollout order. */
  public List<String> reachable() {
    return hosts.keySet().stream().filter(h -> !unreachable.contains(h)).toList();
  }

  private void stage(String host, StageRequest request) {
    mark(host, "staging", "fetching " + releaseOf(host).version());
    try {
      StagedRelease result = onHost(host, () -> fetchStub(host).stageRelease(request));
      staged.put(host, result);
      mark(host, "staged", result.fetched() ? "fetched and unpacked" : "already on the host");
    } catch (SkipHost skipped) {
      // Reported in its progress; the rollout goes on without it.
    }
  }

  /**
   * Runs one host's step; a failure marks the host and becomes the deployment's cause. A step no
   * agent picked up in time makes the host unreachable: {@link SkipHost} within maxUnavailable,
   * {@link Abort} beyond it.
   */
  private <T> T onHost(String host, java.util.function.Supplier<T> step) {
    if (lost.contains(host) && !finished) {
      throw unreachableNow(host, "its agent stopped reporting to the api");
    }
    try {
      return inScope(host, step);
    } catch (ActivityFailure | CanceledFailure failure) {
      if (lost.contains(host) && !finished && canceled(failure)) {
        throw unreachableNow(host, "its agent stopped reporting to the api during " + phase);
      }
      if (failure instanceof ActivityFailure activity
          && Failures.unreachable(activity)
          && !finished) {
        throw unreachableNow(host, "its agent picked up no work in time: " + failedStep(activity));
      }
      if (failure instanceof CanceledFailure canceled) {
        throw canceled;
      }
      String what = Failures.describe(failure);
      mark(host, "failed", what);
      if (cause == null) {
        cause = "host " + host + ": " + what;
      }
      throw failure;
    }
  }

  /** Runs a host's step in a scope of its own, which {@link #hostLost} cancels. */
  private <T> T inScope(String host, java.util.function.Supplier<T> step) {
    List<T> result = new ArrayList<>(1);
    CancellationScope scope = Workflow.newCancellationScope(() -> result.add(step.get()));
    steps.put(host, scope);
    try {
      scope.run();
    } finally {
      steps.remove(host, scope);
    }
    return result.get(0);
  }

  private static boolean canceled(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }

  /**
   * Marks the host unreachable: {@link SkipHost} within maxUnavailable, {@link Abort} beyond it (or
   * when no host is left).
   */
  private RuntimeException unreachableNow(String host, String why) {
    unreachable.add(host);
    mark(host, "unreachable", why);
    if (unreachable.size() > policy.maxUnavailable() || unreachable.size() == hosts.size()) {
      if (cause == null) {
        cause =
            unreachableSummary()
                + ", more than maxUnavailable "
                + policy.maxUnavailable()
                + " allows";
      }
      return new Abort();
    }
    return new SkipHost();
  }

  /**
   * The api heard nothing from the host's agent for too long: the step it runs is cancelled and it
   * counts as unreachable. Ignored once the rollout is over or reverting, and for a host already
   * unreachable.
   */
  public void hostLost(String host) {
    if (!hosts.containsKey(host) || unreachable.contains(host) || finished) {
      return;
    }
    log.warn("deployment {}: host {} stopped reporting to the api", deploymentId, host);
    lost.add(host);
    CancellationScope step = steps.get(host);
    if (step != null) {
      step.cancel("host " + host + " stopped reporting to the api");
    }
  }

  private static String failedStep(ActivityFailure failure) {
    return failure.getActivityType() + " waited for an agent until its schedule-to-start timeout";
  }

  private String unreachableSummary() {
    return unreachable.size()
        + (unreachable.size() == 1 ? " host" : " hosts")
        + " unreachable ("
        + String.join(", ", unreachable)
        + ")";
  }

  /**
   * Switches one host to the release and waits until it is healthy. The revert is registered before
   * the switch, so a switch that timed out half-way is still undone.
   */
  public void activate(String host, boolean runPostActivate) {
    if (unreachable.contains(host)) {
      return;
    }
    try {
      catalog.recordActivation(switchHost(host, runPostActivate));
      mark(host, "healthy", releaseOf(host).version() + " is serving");
    } catch (SkipHost skipped) {
      // Reported in its progress; the rollout goes on without it.
    }
  }

  /**
   * Whether batches are recorded in the catalog in one activity ({@link #activateBatch}); runs
   * recorded before that was so replay one record per host ({@link #activate}).
   */
  public boolean recordsPerBatch() {
    return Workflow.getVersion("batch-record", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * Switches the hosts of a batch at once, then records all that switched in the catalog in one
   * activity: with many hosts, one record per host cost a round trip through Temporal each.
   */
  public void activateBatch(List<String> batch, boolean runPostActivate) {
    List<Promise<HostActivation>> switching = new ArrayList<>();
    for (String host : batch) {
      if (!unreachable.contains(host)) {
        switching.add(
            Async.function(
                () -> {
                  try {
                    return switchHost(host, runPostActivate);
                  } catch (SkipHost skipped) {
                    return null; // Reported in its progress; the rollout goes on without it.
                  }
                }));
      }
    }
    awaitAll(switching);
    List<HostActivation> switched = new ArrayList<>();
    for (Promise<HostActivation> promise : switching) {
      if (promise.get() != null) {
        switched.add(promise.get());
      }
    }
    if (!switched.isEmpty()) {
      catalog.recordActivations(switched);
    }
    for (HostActivation done : switched) {
      mark(done.host(), "healthy", done.version() + " is serving");
    }
  }

  /** Switches one host; returns what the catalog should record of it. */
  private HostActivation switchHost(String host, boolean runPostActivate) {
    ReleaseRef release = releaseOf(host);
    String previous = staged.get(host).currentVersion();
    boolean switching = !release.version().equals(previous);
    ReleaseActivities lifecycle = lifecycleStub(host);
    if (switching) {
      // Re-activating the current release only makes sure its services run: nothing to undo.
      saga.addCompensation(() -> revert(host, previous));
    }
    mark(host, "activating", "switching from " + (previous == null ? "nothing" : previous));
    Activation activation;
    if (Workflow.getVersion("one-step-switch", Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      activation = switchInSteps(host, lifecycle, runPostActivate);
    } else {
      // One activity: activate, wait for health, post_activate. Each step used to cost a round
      // trip through Temporal and a workflow task, which with many hosts at once wait their turn.
      activation =
          onHost(
              host,
              () ->
                  lifecycle.switchRelease(
                      new SwitchRequest(
                          deploymentId,
                          release.app(),
                          release.version(),
                          policy.healthyDeadlineMillis(),
                          runPostActivate)));
    }
    if (switching) {
      saga.addCompensation(() -> catalog.restoreCurrent(release.app(), host, previous));
    }
    return new HostActivation(
        deploymentId,
        release.app(),
        release.version(),
        host,
        activation.address(),
        previous,
        activation.endpoints());
  }

  /** The switch as runs recorded before {@code switchRelease} existed did it: three activities. */
  private Activation switchInSteps(
      String host, ReleaseActivities lifecycle, boolean runPostActivate) {
    ReleaseRef release = releaseOf(host);
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
                new HealthRequest(
                    release.app(), release.version(), policy.healthyDeadlineMillis())));
    if (runPostActivate) {
      onHost(
          host,
          () -> {
            lifecycle.runHook(new HookRequest(release.app(), release.version(), "post_activate"));
            return null;
          });
    }
    return activation;
  }

  /**
   * Checks again that every host of a batch is healthy and that no service restarted since the
   * switch (the health wait refuses a restarted service): the batch stayed healthy.
   */
  public void confirmHealthy(List<String> batch) {
    List<Promise<Void>> checks = new ArrayList<>();
    for (String host : batch) {
      if (unreachable.contains(host)) {
        continue;
      }
      checks.add(
          Async.procedure(
              () -> {
                try {
                  onHost(
                      host,
                      () ->
                          lifecycleStub(host)
                              .awaitHealthy(
                                  new HealthRequest(
                                      release.app(),
                                      releaseOf(host).version(),
                                      policy.healthyDeadlineMillis())));
                  mark(host, "healthy", releaseOf(host).version() + " stayed healthy");
                } catch (SkipHost skipped) {
                  // Reported in its progress.
                }
              }));
    }
    awaitAll(checks);
  }

  private void revert(String host, String previous) {
    if (unreachable.contains(host) || lost.contains(host)) {
      // Its agent takes no work: a revert would only wait. It is reported unreachable.
      return;
    }
    mark(host, "reverting", "going back to " + (previous == null ? "nothing" : previous));
    ReleaseActivities lifecycle = lifecycleStub(host);
    lifecycle.revertRelease(
        new RevertRequest(deploymentId, release.app(), releaseOf(host).version(), previous));
    if (previous != null) {
      // ROLLED_BACK promises the previous release serves again, not just that it was started.
      lifecycle.awaitHealthy(
          new HealthRequest(release.app(), previous, policy.healthyDeadlineMillis()));
    }
    mark(host, "reverted", previous == null ? "stopped" : previous + " is serving again");
  }

  /**
   * Removes old releases on every host, all at once; a failure here does not fail the deployment.
   * Runs recorded before hosts were pruned in parallel replay the one-by-one path.
   */
  public void pruneAll(int keep) {
    int version = Workflow.getVersion("parallel-prune", Workflow.DEFAULT_VERSION, 1);
    List<Promise<Void>> prunes = new ArrayList<>();
    for (String host : reachable()) {
      if (version == Workflow.DEFAULT_VERSION) {
        prune(host, keep);
      } else {
        prunes.add(Async.procedure(this::prune, host, keep));
      }
    }
    awaitAll(prunes);
  }

  private void prune(String host, int keep) {
    try {
      quickStub(host).pruneReleases(new PruneRequest(release.app(), keep));
    } catch (ActivityFailure e) {
      log.warn("pruning on {} failed: {}", host, Failures.describe(e));
    }
  }

  public DeploymentProgress snapshot() {
    return new DeploymentProgress(
        deploymentId, state, cause, List.copyOf(hosts.values()), phase, batch, batches);
  }

  private void mark(String host, String hostState, String message) {
    hosts.put(host, new HostProgress(host, hostState, message));
    if (PROGRESS.contains(hostState)) {
      lastProgressAt = Workflow.currentTimeMillis();
    }
  }

  /** Host states that count as the rollout moving on, for the progress deadline. */
  private static final Set<String> PROGRESS =
      Set.of("staged", "healthy", "unreachable", "reverted");

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
        ReleaseActivities.class, reaching(ActivityProfiles.bundleFetch(TaskQueues.host(host))));
  }

  private ReleaseActivities quickStub(String host) {
    return Workflow.newActivityStub(
        ReleaseActivities.class, reaching(ActivityProfiles.quickCall(TaskQueues.host(host))));
  }

  private ReleaseActivities lifecycleStub(String host) {
    return Workflow.newActivityStub(
        ReleaseActivities.class,
        reaching(
            ActivityProfiles.serviceLifecycle(
                TaskQueues.host(host), policy.healthyDeadlineMillis())));
  }

  private ActivityOptions reaching(ActivityOptions profile) {
    return ActivityProfiles.reachingWithin(
        profile, Duration.ofMillis(policy.unreachableAfterMillis()));
  }
}
