package dev.cast.activities.supervisor;

import dev.cast.bundle.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides what follows the exit of one service's process: nothing (its restart policy says so), a
 * restart after an exponential backoff, or giving up on a crash loop. It holds the backoff and the
 * recent restarts of that one service and is pure arithmetic on the times it is given: it starts,
 * watches and schedules nothing, so it is tested without processes or clocks. Not thread-safe: the
 * owning unit guards it.
 */
final class RestartDecider {

  /** What follows an exit. */
  enum Outcome {
    /** The restart policy does not restart this exit. */
    STOP,
    /** Restart after {@link Decision#delay()}. */
    RESTART,
    /** Too many restarts within the crash-loop window: no more until someone starts it. */
    GIVE_UP
  }

  /**
   * @param delay the backoff before the restart, or null unless the outcome is {@code RESTART}
   * @param recentRestarts the restarts within the crash-loop window, before this decision
   */
  record Decision(Outcome outcome, Duration delay, int recentRestarts) {}

  private final SupervisorSettings config;
  private final Deque<Instant> recentRestarts = new ArrayDeque<>();
  private Duration nextDelay;

  RestartDecider(SupervisorSettings config) {
    this.config = config;
    this.nextDelay = config.backoffInitial();
  }

  /** A deliberate start: the backoff and the crash-loop count begin afresh. */
  void reset() {
    recentRestarts.clear();
    nextDelay = config.backoffInitial();
  }

  /**
   * Decides after a process exited at {@code now}, and counts the restart it decides on.
   *
   * @param failure whether the exit counts as a failure (a non-zero or unknown exit status)
   * @param upSince when the process started, or null when unknown (an adopted process)
   */
  Decision afterExit(RestartPolicy policy, boolean failure, Instant upSince, Instant now) {
    boolean restart =
        policy == RestartPolicy.ALWAYS || (policy == RestartPolicy.ON_FAILURE && failure);
    // A process that stayed up long enough was healthy for a while: its crash starts a new
    // series of backoffs instead of continuing the old one.
    if (upSince != null && Duration.between(upSince, now).compareTo(config.backoffReset()) >= 0) {
      nextDelay = config.backoffInitial();
    }
    Instant windowStart = now.minus(config.crashLoopWindow());
    while (!recentRestarts.isEmpty() && recentRestarts.peekFirst().isBefore(windowStart)) {
      recentRestarts.pollFirst();
    }
    int recent = recentRestarts.size();
    if (!restart) {
      return new Decision(Outcome.STOP, null, recent);
    }
    if (recent >= config.crashLoopRestarts()) {
      return new Decision(Outcome.GIVE_UP, null, recent);
    }
    recentRestarts.addLast(now);
    Duration delay = nextDelay;
    Duration doubled = delay.multipliedBy(2);
    nextDelay = doubled.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : doubled;
    return new Decision(Outcome.RESTART, delay, recent);
  }

  /** The message that says why a crash-looping service was given up, after how it last ended. */
  String givingUp(String how, Decision decision) {
    return how
        + "; gave up after "
        + decision.recentRestarts()
        + " restarts within "
        + config.crashLoopWindow().toSeconds()
        + "s";
  }
}
