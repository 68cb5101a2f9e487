package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.Failures;
import dev.cast.workflows.shared.HostState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Runs each host's step of a rollout in a cancellation scope of its own and keeps which hosts are
 * unreachable: a step no agent picked up in time, or one on a host the api reported silent, makes
 * its host unreachable instead of failing the rollout, up to {@code maxUnavailable} hosts.
 */
final class HostSteps {
  private static final Logger log = Workflow.getLogger(Rollout.class);

  private final String deploymentId;
  private final RolloutProgress progress;
  private final int maxUnavailable;
  private final BooleanSupplier finished;
  private final Set<String> unreachable = new LinkedHashSet<>();
  // Hosts the api reported silent, and the scope of each host's step in progress.
  private final Set<String> lost = new HashSet<>();
  private final Map<String, CancellationScope> steps = new HashMap<>();
  // The hosts of the whole rollout; more than this part's own when it is a part of one.
  private final int totalHosts;

  /** Ends the steps early: too many hosts unreachable. The cause is already set. */
  static final class Abort extends RuntimeException {
    Abort() {
      super(null, null, false, false);
    }
  }

  /** Ends one host's part without failing the rollout: the host is unreachable. */
  static final class SkipHost extends RuntimeException {
    SkipHost() {
      super(null, null, false, false);
    }
  }

  /**
   * @param finished whether the rollout's steps are over (it may be reverting)
   */
  HostSteps(
      String deploymentId, RolloutProgress progress, int maxUnavailable, BooleanSupplier finished) {
    this(deploymentId, progress, maxUnavailable, finished, List.of(), List.of(), 0);
  }

  /**
   * The steps of one part of a rollout (see {@link PartWorkflow}): {@code unreachable} and {@code
   * lost} are what the rollout knew of its hosts when the part started, so maxUnavailable counts
   * every host of the rollout, and {@code totalHosts} its number of hosts (0: this part's own).
   */
  HostSteps(
      String deploymentId,
      RolloutProgress progress,
      int maxUnavailable,
      BooleanSupplier finished,
      List<String> unreachable,
      List<String> lost,
      int totalHosts) {
    this.deploymentId = deploymentId;
    this.progress = progress;
    this.maxUnavailable = maxUnavailable;
    this.finished = finished;
    this.unreachable.addAll(unreachable);
    this.lost.addAll(lost);
    this.totalHosts = totalHosts;
  }

  /**
   * Runs one host's step; a failure marks the host and becomes the deployment's cause. A step no
   * agent picked up in time makes the host unreachable: {@link SkipHost} within maxUnavailable,
   * {@link Abort} beyond it.
   */
  <T> T onHost(String host, Supplier<T> step) {
    if (lost.contains(host) && !finished.getAsBoolean()) {
      throw unreachableNow(host, "its agent stopped reporting to the api");
    }
    try {
      return inScope(host, step);
    } catch (ActivityFailure | CanceledFailure failure) {
      if (lost.contains(host) && !finished.getAsBoolean() && canceled(failure)) {
        throw unreachableNow(
            host, "its agent stopped reporting to the api during " + progress.phase());
      }
      if (failure instanceof ActivityFailure activity
          && Failures.unreachable(activity)
          && !finished.getAsBoolean()) {
        throw unreachableNow(host, "its agent picked up no work in time: " + failedStep(activity));
      }
      if (failure instanceof CanceledFailure canceled) {
        throw canceled;
      }
      progress.hostFailed(host, Failures.describe(failure));
      throw failure;
    }
  }

  /** Runs a host's step in a scope of its own, which {@link #hostLost} cancels. */
  private <T> T inScope(String host, Supplier<T> step) {
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
    progress.mark(host, HostState.UNREACHABLE, why);
    if (unreachable.size() > maxUnavailable
        || unreachable.size() >= Math.max(totalHosts, progress.hostCount())) {
      progress.causeIfNone(summary() + ", more than maxUnavailable " + maxUnavailable + " allows");
      return new Abort();
    }
    return new SkipHost();
  }

  /**
   * The api heard nothing from the host's agent for too long: the step it runs is cancelled and it
   * counts as unreachable. Ignored once the rollout is over or reverting, and for a host already
   * unreachable.
   */
  void hostLost(String host) {
    if (!progress.has(host) || unreachable.contains(host) || finished.getAsBoolean()) {
      return;
    }
    log.warn("deployment {}: host {} stopped reporting to the api", deploymentId, host);
    lost.add(host);
    CancellationScope step = steps.get(host);
    if (step != null) {
      step.cancel("host " + host + " stopped reporting to the api");
    }
  }

  /** Whether the host's agent takes no work: unreachable, or reported silent by the api. */
  boolean silent(String host) {
    return unreachable.contains(host) || lost.contains(host);
  }

  boolean unreachable(String host) {
    return unreachable.contains(host);
  }

  /** The hosts found unreachable, those the rollout knew of before this part included. */
  List<String> unreachableHosts() {
    return List.copyOf(unreachable);
  }

  /** The hosts the api reported silent, those the rollout knew of before this part included. */
  List<String> lostHosts() {
    return List.copyOf(lost);
  }

  boolean anyUnreachable() {
    return !unreachable.isEmpty();
  }

  /** How many hosts are unreachable, and which. */
  String summary() {
    return unreachable.size()
        + (unreachable.size() == 1 ? " host" : " hosts")
        + " unreachable ("
        + String.join(", ", unreachable)
        + ")";
  }

  private static String failedStep(ActivityFailure failure) {
    return failure.getActivityType() + " waited for an agent until its schedule-to-start timeout";
  }
}
