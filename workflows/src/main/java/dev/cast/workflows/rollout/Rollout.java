package dev.cast.workflows.rollout;

import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.catalog.HostActivation;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.PruneRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.host.SwitchRequest;
import dev.cast.workflows.shared.ActivityProfiles;
import dev.cast.workflows.shared.CastSearch;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.Failures;
import dev.cast.workflows.shared.HostState;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The steps deploy and rollback share, run inside a workflow: stage a release on hosts, switch them
 * batch by batch with a compensation registered before each switch, and revert on failure or
 * cancellation. Its bookkeeping is {@link RolloutProgress}, its progress deadline {@link
 * ProgressWatchdog}, staging {@link Staging}, each host's steps and reachability {@link HostSteps},
 * its host stubs {@link HostStubs}, and the paths only old runs take {@link LegacyPaths}. Workflow
 * code only: no I/O.
 */
public final class Rollout {
  private static final Logger log = Workflow.getLogger(Rollout.class);

  private final String deploymentId;
  private final ReleaseRef release;
  // A host's own target where it differs from {@code release} (a rollback to each host's previous).
  private final Map<String, ReleaseRef> perHost;
  private final RolloutPolicy policy;
  private final RolloutProgress progress;
  private final ProgressWatchdog watchdog;
  private final HostStubs stubs;
  private final HostSteps hosts;
  private final Staging staging;
  private final Saga saga =
      new Saga(new Saga.Options.Builder().setParallelCompensation(true).build());
  private final CatalogActivities catalog =
      Workflow.newActivityStub(
          CatalogActivities.class, ActivityProfiles.quickCall(TaskQueues.CONTROL));
  private boolean finished;
  // Hosts whose switch started (a revert is due) and those whose switch completed (the catalog
  // record is to be undone too), in the order they switched: what a part of a rollout reports.
  private final Set<String> attempted = new LinkedHashSet<>();
  private final Set<String> switchedHosts = new LinkedHashSet<>();
  // A part's steps, cancelled when its rollout stops it.
  private CancellationScope partSteps;
  private boolean stopRequested;
  // Set in a config rollout: its hosts re-render their config instead of switching releases.
  private final ConfigSteps configs;

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
    this(deploymentId, release, perHost, hostNames, policy, null, false);
  }

  /**
   * A config rollout: each host re-renders the config of the release it runs ({@code release}, or
   * its own in {@code perHost}) with {@link #renderAll}, and {@link #activateBatch} applies the
   * changed files on hosts whose config changed; a revert puts their previous files back.
   */
  public static Rollout forConfig(
      String deploymentId,
      ReleaseRef release,
      Map<String, ReleaseRef> perHost,
      List<String> hostNames,
      RolloutPolicy policy) {
    return new Rollout(deploymentId, release, perHost, hostNames, policy, null, true);
  }

  /** The rollout of one part (see {@link PartWorkflow}); {@code part} null for a whole rollout. */
  private Rollout(
      String deploymentId,
      ReleaseRef release,
      Map<String, ReleaseRef> perHost,
      List<String> hostNames,
      RolloutPolicy policy,
      PartRequest part,
      boolean config) {
    this.deploymentId = deploymentId;
    this.release = release;
    this.perHost = perHost == null ? Map.of() : Map.copyOf(perHost);
    this.policy = policy;
    this.progress = new RolloutProgress(deploymentId, hostNames);
    this.progress.onPhase(CastSearch::phase);
    this.progress.phase("starting");
    this.watchdog = new ProgressWatchdog(policy.progressDeadlineMillis(), progress, () -> finished);
    this.progress.onMark(watchdog::marked);
    this.hosts =
        part == null
            ? new HostSteps(deploymentId, progress, policy.maxUnavailable(), () -> finished)
            : new HostSteps(
                deploymentId,
                progress,
                policy.maxUnavailable(),
                () -> finished,
                part.unreachable(),
                part.lost(),
                part.totalHosts());
    this.stubs = new HostStubs(policy);
    this.staging = new Staging(progress, hosts, stubs, this::releaseOf);
    this.configs =
        config
            ? new ConfigSteps(deploymentId, progress, hosts, stubs, policy, this::releaseOf)
            : null;
  }

  /** The rollout of one part of a rollout, on that part's hosts. */
  static Rollout forPart(PartRequest part) {
    return new Rollout(
        part.deploymentId(),
        part.release(),
        part.perHost(),
        part.hosts(),
        part.policy(),
        part,
        false);
  }

  /** Work that may fail; turns its failure into compensation and a final state. */
  public interface Steps {
    void run();
  }

  /**
   * Records RUNNING, runs the steps, compensates on failure or cancellation (or, with autoRevert
   * off, leaves the hosts as they are), records and returns the final state.
   */
  public DeploymentProgress run(Steps work) {
    String invalid = policy.violation();
    if (invalid != null) {
      // Nothing was done on any host; computing timeouts with such values would fail every
      // workflow task.
      progress.end(DeploymentState.FAILED);
      progress.cause("INVALID_REQUEST: " + invalid + "; nothing was changed on any host");
      progress.phase("done");
      finished = true;
      DeploymentProgress refused = progress.snapshot();
      catalog.recordDeployment(refused);
      return refused;
    }
    catalog.recordDeployment(progress.snapshot());
    CancellationScope scope = Workflow.newCancellationScope(work::run);
    watchdog.start(scope);
    try {
      scope.run();
      finished = true;
      progress.end(DeploymentState.SUCCEEDED);
      progress.phase("done");
      if (hosts.anyUnreachable()) {
        progress.cause(
            hosts.summary()
                + ", within maxUnavailable "
                + policy.maxUnavailable()
                + "; the rest succeeded");
      }
    } catch (ActivityFailure | CanceledFailure | HostSteps.Abort failure) {
      finished = true;
      if (scope.isCancelRequested() && !watchdog.deadlinePassed()) {
        progress.cause("cancelled by request");
        compensate(DeploymentState.CANCELLED);
      } else {
        progress.causeIfNone(Failures.describe(failure));
        fail();
      }
    }
    DeploymentProgress result = progress.snapshot();
    Workflow.newDetachedCancellationScope(() -> catalog.recordDeployment(result)).run();
    return result;
  }

  /**
   * Runs the steps of a part of a rollout: unlike {@link #run}, it records nothing in the catalog
   * and reverts nothing. A failure, or a stop its rollout asked for, ends the steps; the result
   * says which hosts the rollout must revert.
   */
  PartResult runPart(Steps work) {
    CancellationScope scope = Workflow.newCancellationScope(work::run);
    partSteps = scope;
    PartResult.Outcome outcome;
    if (stopRequested) {
      outcome = PartResult.Outcome.STOPPED;
    } else {
      watchdog.start(scope);
      try {
        scope.run();
        outcome = PartResult.Outcome.DONE;
      } catch (ActivityFailure | CanceledFailure | HostSteps.Abort failure) {
        if (scope.isCancelRequested() && !watchdog.deadlinePassed()) {
          outcome = PartResult.Outcome.STOPPED;
        } else {
          progress.causeIfNone(Failures.describe(failure));
          outcome = PartResult.Outcome.FAILED;
        }
      }
    }
    finished = true;
    return new PartResult(
        outcome,
        outcome == PartResult.Outcome.FAILED ? progress.cause() : null,
        progress.snapshot().hosts(),
        staging.stagedHosts(),
        staging.previousOfStaged(),
        List.copyOf(attempted),
        List.copyOf(switchedHosts),
        hosts.unreachableHosts(),
        hosts.lostHosts(),
        progress.phase());
  }

  /** Its rollout was cancelled: the part's steps stop, and it reports what it switched. */
  void stop() {
    stopRequested = true;
    if (partSteps != null && !finished) {
      partSteps.cancel("the rollout was cancelled");
    }
  }

  /** A part's steps are over: silent hosts are no longer unreachable, a revert goes on. */
  void finish() {
    finished = true;
  }

  /** A part's view of staging: what its rollout staged, or the places its hosts stage in. */
  Staging staging() {
    return staging;
  }

  /**
   * Puts hosts of a rollout back on the release each ran before, all at once, and restores the
   * catalog's record of those whose switch completed: the compensations of one workflow's saga, for
   * the hosts of a part.
   *
   * @param previous the release each host ran before (absent: none)
   * @param switched the hosts whose switch completed
   */
  void revertAll(List<String> hostNames, Map<String, String> previous, Set<String> switched) {
    progress.phase("reverting");
    List<Promise<Void>> undo = new ArrayList<>();
    for (String host : hostNames) {
      String before = previous.get(host);
      // One workflow thread per host: the catalog's record is restored whether or not the revert
      // on the host succeeds, as the saga's two compensations would.
      undo.add(
          Async.procedure(
              () -> {
                try {
                  revert(host, before);
                } finally {
                  if (switched.contains(host)) {
                    catalog.restoreCurrent(releaseOf(host).app(), host, before);
                  }
                }
              }));
    }
    Promises.awaitAll(undo);
  }

  private void fail() {
    if (policy.autoRevert()) {
      log.warn("deployment {} failed, reverting: {}", deploymentId, progress.cause());
      compensate(DeploymentState.ROLLED_BACK);
    } else {
      log.warn("deployment {} failed, autoRevert off: {}", deploymentId, progress.cause());
      progress.end(DeploymentState.FAILED);
      progress.cause(progress.cause() + "; autoRevert is off, so every host stays as it is");
      progress.phase("done");
    }
  }

  private void compensate(DeploymentState endState) {
    progress.phase("reverting");
    // Detached: a cancel must not skip the undo. Hosts are reverted in parallel.
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                saga.compensate();
                progress.end(endState);
              } catch (RuntimeException e) {
                progress.end(DeploymentState.FAILED);
                progress.cause(
                    progress.cause() + "; reverting also failed: " + Failures.describe(e));
              }
            })
        .run();
    progress.phase("done");
  }

  /**
   * Stops the progress clock while the rollout waits for a person (a promote or a resume), and
   * restarts it when the wait ends.
   */
  public void hold(boolean waiting) {
    watchdog.hold(waiting);
  }

  /** What the rollout is doing, shown in its progress. */
  public void phase(String now, Integer batchNumber, Integer batchCount) {
    progress.phase(now, batchNumber, batchCount);
  }

  /** Stages the release on every host at once. */
  public void stageAll() {
    staging.stageAll();
  }

  /** Re-renders the config on every host of a config rollout at once. */
  public void renderAll() {
    configs.renderAll();
  }

  /**
   * The hosts not found unreachable so far, in rollout order; in a config rollout, only those whose
   * config changed.
   */
  public List<String> reachable() {
    return progress.hostNames().stream()
        .filter(h -> !hosts.unreachable(h) && (configs == null || configs.changed(h)))
        .toList();
  }

  /** What a changed host's config calls for in a config rollout: rollout, restart, signal, none. */
  public String configAction(String host) {
    return configs.action(host);
  }

  /**
   * Switches the hosts of a batch at once, then records all that switched in the catalog in one
   * activity: with many hosts, one record per host cost a round trip through Temporal each.
   */
  public void activateBatch(List<String> batch, boolean runPostActivate) {
    if (!LegacyPaths.recordsPerBatch()) {
      LegacyPaths.activateHostByHost(this, batch, runPostActivate);
      return;
    }
    List<Promise<HostActivation>> switching = new ArrayList<>();
    for (String host : batch) {
      if (!hosts.unreachable(host)) {
        switching.add(
            Async.function(
                () -> {
                  try {
                    return configs != null ? switchConfig(host) : switchHost(host, runPostActivate);
                  } catch (HostSteps.SkipHost skipped) {
                    return null; // Reported in its progress; the rollout goes on without it.
                  }
                }));
      }
    }
    Promises.awaitAll(switching);
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
      progress.mark(
          done.host(),
          HostState.HEALTHY,
          configs != null
              ? "config applied"
                  + (done.config() == null ? "" : " at index " + done.config().index())
              : done.version() + " is serving");
    }
  }

  /**
   * Switches one host and waits until it is healthy; returns what the catalog should record of it.
   * The revert is registered before the switch, so a switch that timed out half-way is still
   * undone.
   */
  HostActivation switchHost(String host, boolean runPostActivate) {
    ReleaseRef target = releaseOf(host);
    String previous = staging.previousOf(host);
    boolean switching = !target.version().equals(previous);
    if (switching) {
      // Re-activating the current release only makes sure its services run: nothing to undo.
      saga.addCompensation(() -> revert(host, previous));
      attempted.add(host);
    }
    progress.mark(
        host, HostState.ACTIVATING, "switching from " + (previous == null ? "nothing" : previous));
    Activation activation;
    if (LegacyPaths.switchesInOneStep()) {
      // One activity: activate, wait for health, post_activate. Each step used to cost a round
      // trip through Temporal and a workflow task, which with many hosts at once wait their turn.
      activation =
          hosts.onHost(
              host,
              () ->
                  stubs
                      .lifecycle(host, "SwitchRelease")
                      .switchRelease(
                          new SwitchRequest(
                              deploymentId,
                              target.app(),
                              target.version(),
                              policy.healthyDeadlineMillis(),
                              runPostActivate,
                              policy.rerenderConfig())));
    } else {
      activation =
          LegacyPaths.switchInSteps(
              this, host, stubs.lifecycle(host, "SwitchRelease"), runPostActivate);
    }
    if (switching) {
      saga.addCompensation(() -> catalog.restoreCurrent(target.app(), host, previous));
      switchedHosts.add(host);
    }
    return new HostActivation(
        deploymentId,
        target.app(),
        target.version(),
        host,
        activation.address(),
        previous,
        activation.endpoints(),
        activation.config());
  }

  /** A config rollout's switch of one host: its new config written and acted on. */
  private HostActivation switchConfig(String host) {
    ReleaseRef target = releaseOf(host);
    // Registered first, so an apply that timed out half-way is still undone.
    saga.addCompensation(
        () -> {
          if (!hosts.silent(host)) {
            configs.revert(host);
          }
        });
    attempted.add(host);
    Activation activation = configs.apply(host);
    switchedHosts.add(host);
    return new HostActivation(
        deploymentId,
        target.app(),
        target.version(),
        host,
        activation.address(),
        activation.previousVersion(),
        activation.endpoints(),
        activation.config());
  }

  /**
   * Checks again that every host of a batch is healthy and that no service restarted since the
   * switch (the health wait refuses a restarted service): the batch stayed healthy.
   */
  public void confirmHealthy(List<String> batch) {
    List<Promise<Void>> checks = new ArrayList<>();
    for (String host : batch) {
      if (hosts.unreachable(host)) {
        continue;
      }
      checks.add(
          Async.procedure(
              () -> {
                try {
                  hosts.onHost(
                      host,
                      () ->
                          stubs
                              .lifecycle(host, "ConfirmHealthy")
                              .awaitHealthy(
                                  new HealthRequest(
                                      release.app(),
                                      releaseOf(host).version(),
                                      policy.healthyDeadlineMillis())));
                  progress.mark(
                      host, HostState.HEALTHY, releaseOf(host).version() + " stayed healthy");
                } catch (HostSteps.SkipHost skipped) {
                  // Reported in its progress.
                }
              }));
    }
    Promises.awaitAll(checks);
  }

  private void revert(String host, String previous) {
    if (hosts.silent(host)) {
      // Its agent takes no work: a revert would only wait. It is reported unreachable.
      return;
    }
    progress.mark(
        host, HostState.REVERTING, "going back to " + (previous == null ? "nothing" : previous));
    ReleaseActivities lifecycle = stubs.lifecycle(host, "RevertRelease");
    lifecycle.revertRelease(
        new RevertRequest(deploymentId, release.app(), releaseOf(host).version(), previous));
    if (previous != null) {
      // ROLLED_BACK promises the previous release serves again, not just that it was started.
      lifecycle.awaitHealthy(
          new HealthRequest(release.app(), previous, policy.healthyDeadlineMillis()));
    }
    progress.mark(
        host, HostState.REVERTED, previous == null ? "stopped" : previous + " is serving again");
  }

  /**
   * Removes old releases on every host, all at once; a failure here does not fail the deployment.
   */
  public void pruneAll(int keep) {
    if (!LegacyPaths.prunesInParallel()) {
      LegacyPaths.pruneOneByOne(this, keep);
      return;
    }
    List<Promise<Void>> prunes = new ArrayList<>();
    for (String host : reachable()) {
      prunes.add(Async.procedure(this::prune, host, keep));
    }
    Promises.awaitAll(prunes);
  }

  void prune(String host, int keep) {
    try {
      stubs.quick(host, "PruneReleases").pruneReleases(new PruneRequest(release.app(), keep));
    } catch (ActivityFailure e) {
      log.warn("pruning on {} failed: {}", host, Failures.describe(e));
    }
  }

  public DeploymentProgress snapshot() {
    return progress.snapshot();
  }

  /** The release a host goes to. */
  ReleaseRef releaseOf(String host) {
    return perHost.getOrDefault(host, release);
  }

  HostSteps hostSteps() {
    return hosts;
  }

  RolloutProgress progress() {
    return progress;
  }

  /** The api heard nothing from the host's agent for too long; see {@link HostSteps#hostLost}. */
  public void hostLost(String host) {
    hosts.hostLost(host);
  }

  String deploymentId() {
    return deploymentId;
  }

  RolloutPolicy policy() {
    return policy;
  }

  CatalogActivities catalog() {
    return catalog;
  }
}
