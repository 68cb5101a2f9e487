package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.process.RunRecord;
import dev.cast.bundle.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One supervised service. Lifecycle operations (start, stop, restart, exit handling) hold {@link
 * #op} for their whole length; the fields are guarded by the unit's monitor and only ever held for
 * a moment, so status reads never wait for a stop's grace period.
 */
final class Unit {
  enum State {
    RUNNING("running"),
    STARTING("starting"),
    STOPPED("stopped"),
    FAILED("failed"),
    DISABLED("disabled");

    final String word;

    State(String word) {
      this.word = word;
    }
  }

  /**
   * A process of the service.
   *
   * @param process the handle when this supervisor started it, {@code null} when adopted
   */
  record Proc(long pid, Instant startedAt, Process process, RunRecord record) {}

  final String app;
  final String service;
  final AppLayout layout;
  final ReentrantLock op = new ReentrantLock();

  String version;
  ServiceSpec spec;
  State state = State.STOPPED;
  boolean enabled = true;
  boolean wantedRunning = true;
  Proc proc;
  RunRecord lastRecord;
  int restarts;
  Duration nextDelay;
  final Deque<Instant> recentRestarts = new ArrayDeque<>();
  Instant upSince;
  String lastExit;

  /** Bumped by every deliberate operation, so a restart scheduled before it does not fire. */
  long generation;

  ScheduledFuture<?> pendingRestart;
  ScheduledFuture<?> watch;
  ScheduledFuture<?> healthTask;
  final HealthStatus health = new HealthStatus();

  Unit(String app, String service, AppLayout layout) {
    this.app = app;
    this.service = service;
    this.layout = layout;
  }

  static String key(String app, String service) {
    return app + "/" + service;
  }

  /** Cancels the scheduled restart, process watch and health checks. Call holding the monitor. */
  void cancelTimers() {
    for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {pendingRestart, watch, healthTask}) {
      if (f != null) {
        f.cancel(false);
      }
    }
    pendingRestart = null;
    watch = null;
    healthTask = null;
  }
}
