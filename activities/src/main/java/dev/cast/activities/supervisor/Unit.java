package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.process.ProcStat;
import dev.cast.activities.process.ProcessIdentity;
import dev.cast.activities.process.RunRecord;
import dev.cast.bundle.ServiceSpec;
import java.time.Instant;
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
  final RestartDecider restartDecider;
  Instant upSince;
  String lastExit;

  /** Bumped by every deliberate operation, so a restart scheduled before it does not fire. */
  long generation;

  ScheduledFuture<?> pendingRestart;
  ScheduledFuture<?> watch;
  ScheduledFuture<?> healthTask;
  final HealthStatus health = new HealthStatus();

  Unit(String app, String service, AppLayout layout, RestartDecider restartDecider) {
    this.app = app;
    this.service = service;
    this.layout = layout;
    this.restartDecider = restartDecider;
  }

  static String key(String app, String service) {
    return app + "/" + service;
  }

  /** Whether the process runs; false for none. */
  static boolean alive(Proc proc) {
    if (proc == null) {
      return false;
    }
    // A child is gone from /proc a moment before the JVM's reaper marks its Process exited: a
    // deliberate start in that moment must not take the dead process for a running one.
    return proc.process() != null
        ? proc.process().isAlive() && ProcStat.read(proc.pid()).map(ProcStat::running).orElse(false)
        : ProcessIdentity.isRunning(proc.pid(), proc.startedAt());
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
