package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.HostState;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The progress deadline of a rollout: it cancels the rollout's steps when no host has made progress
 * for that long, not counting time held for a person (a promote or a resume). One timer per
 * deadline period, whatever the number of hosts.
 */
final class ProgressWatchdog {
  /** Host states that count as the rollout moving on. */
  private static final Set<HostState> PROGRESS =
      Set.of(HostState.STAGED, HostState.HEALTHY, HostState.UNREACHABLE, HostState.REVERTED);

  private final long deadlineMillis;
  private final RolloutProgress progress;
  private final BooleanSupplier finished;
  private boolean held;
  private boolean deadlinePassed;
  private long lastProgressAt;

  /**
   * @param deadlineMillis the progress deadline; 0 starts no watch
   * @param finished whether the rollout's steps are over, after which the watch ends
   */
  ProgressWatchdog(long deadlineMillis, RolloutProgress progress, BooleanSupplier finished) {
    this.deadlineMillis = deadlineMillis;
    this.progress = progress;
    this.finished = finished;
  }

  /** Starts the clock, and the watch over {@code work} when there is a deadline. */
  void start(CancellationScope work) {
    lastProgressAt = Workflow.currentTimeMillis();
    if (deadlineMillis > 0) {
      // Detached: a cancel request reaches the steps, and the watcher ends with them.
      Workflow.newDetachedCancellationScope(() -> Async.procedure(() -> watch(work))).run();
    }
  }

  /** A host reached {@code state}; the clock restarts when that counts as progress. */
  void marked(HostState state) {
    if (PROGRESS.contains(state)) {
      lastProgressAt = Workflow.currentTimeMillis();
    }
  }

  /** Stops the clock while the rollout waits for a person, and restarts it when the wait ends. */
  void hold(boolean waiting) {
    held = waiting;
  }

  /**
   * Whether the deadline passed, so a cancelled {@code work} is a failure, not a cancel request.
   */
  boolean deadlinePassed() {
    return deadlinePassed;
  }

  private void watch(CancellationScope work) {
    while (!finished.getAsBoolean()) {
      if (held) {
        Workflow.await(() -> finished.getAsBoolean() || !held);
        lastProgressAt = Workflow.currentTimeMillis();
        continue;
      }
      long left = lastProgressAt + deadlineMillis - Workflow.currentTimeMillis();
      if (left <= 0) {
        deadlinePassed = true;
        progress.causeIfNone(
            "no host made progress for "
                + Duration.ofMillis(deadlineMillis).toString().substring(2).toLowerCase()
                + " (progressDeadline) while "
                + progress.phase());
        work.cancel();
        return;
      }
      Workflow.await(Duration.ofMillis(left), () -> finished.getAsBoolean() || held);
    }
  }
}
