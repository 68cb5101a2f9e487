package dev.cast.activities.supervisor;

import dev.cast.activities.process.ProcessIdentity;
import dev.cast.activities.process.RunFiles;
import dev.cast.activities.process.RunRecord;
import dev.cast.bundle.ServiceSpec;
import dev.cast.bundle.StopSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, watches, restarts and stops the process of each unit. Exits of processes this agent
 * started are seen through {@link Process#onExit()}; adopted ones are polled in {@code /proc} every
 * {@link #ADOPTED_POLL}. What follows an exit is the {@link RestartDecider}'s call. Methods that
 * say so must be called holding the unit's op lock; the exit and restart timers take it themselves.
 */
final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
  static final Duration ADOPTED_POLL = Duration.ofMillis(500);
  static final StopSpec DEFAULT_STOP = new StopSpec("TERM", Duration.ofSeconds(10));

  private final Launcher launcher;
  private final Timers timers;
  private final StatusBoard board;
  private final HealthLoop health;

  Lifecycle(Launcher launcher, Timers timers, StatusBoard board, HealthLoop health) {
    this.launcher = launcher;
    this.timers = timers;
    this.board = board;
    this.health = health;
  }

  /** Starts the target's process unless it runs; resets restart counting. Holds the unit's op. */
  void startDeliberately(Unit unit, Target target, Runnable tick) throws IOException {
    synchronized (unit) {
      unit.generation++;
      unit.cancelTimers();
      unit.restartDecider.reset();
      if (Unit.alive(unit.proc) && target.version().equals(unit.version)) {
        restartWatches(unit);
        unit.state = Unit.State.RUNNING;
        return;
      }
      unit.restarts = 0;
    }
    if (unit.proc != null) {
      stopUnits(List.of(unit), tick);
    }
    try {
      launch(unit, target.version(), target.spec(), 0);
    } catch (IOException | RuntimeException e) {
      synchronized (unit) {
        unit.lastExit = "could not start: " + e.getMessage();
      }
      board.setState(unit, Unit.State.STOPPED);
      throw e;
    }
  }

  private void launch(Unit unit, String version, ServiceSpec spec, int restarts)
      throws IOException {
    Unit.Proc proc = launcher.launch(unit.layout, unit.service, version, spec, restarts);
    synchronized (unit) {
      unit.version = version;
      unit.spec = spec;
      unit.restarts = restarts;
    }
    running(unit, proc, Instant.now());
  }

  /**
   * Records a running process and starts watching it and checking its health.
   *
   * @param upSince when it started, or null when unknown
   */
  void running(Unit unit, Unit.Proc proc, Instant upSince) {
    synchronized (unit) {
      unit.cancelTimers();
      unit.proc = proc;
      unit.lastRecord = proc.record();
      unit.upSince = upSince;
      unit.state = Unit.State.RUNNING;
      boolean hasCheck = unit.spec.health() != null;
      unit.health.reset(
          hasCheck ? HealthStatus.UNKNOWN : HealthStatus.PASSING,
          hasCheck ? "not checked yet" : "process " + proc.pid() + " is running");
      restartWatches(unit);
    }
    board.fire(unit);
  }

  /** (Re)schedules exit detection and health checks of the unit's process. Holds the monitor. */
  private void restartWatches(Unit unit) {
    Unit.Proc proc = unit.proc;
    if (timers.closed() || proc == null) {
      return;
    }
    try {
      if (proc.process() != null) {
        timers.onExit(proc.process(), () -> exited(unit, proc));
      } else if (unit.watch == null) {
        unit.watch = timers.every(() -> pollAdopted(unit, proc), ADOPTED_POLL);
      }
      health.schedule(unit, proc);
    } catch (RejectedExecutionException e) {
      // Closing: nothing more is watched.
    }
  }

  private void pollAdopted(Unit unit, Unit.Proc proc) {
    if (!ProcessIdentity.isRunning(proc.pid(), proc.startedAt())) {
      exited(unit, proc);
    }
  }

  /**
   * A process ended on its own: clean up its group and let the restart policy decide. A deliberate
   * operation under way either owns this process now or is about to, so this waits for it.
   */
  private void exited(Unit unit, Unit.Proc proc) {
    timers.whenFree(unit.op, () -> handleExit(unit, proc));
  }

  private void handleExit(Unit unit, Unit.Proc proc) {
    try {
      synchronized (unit) {
        if (unit.proc != proc) {
          return;
        }
        unit.proc = null;
        unit.cancelTimers();
      }
      boolean failure = true;
      String how = "exited (status unknown)";
      if (proc.process() != null) {
        int code = proc.process().exitValue();
        failure = code != 0;
        how = code > 128 ? "killed by signal " + (code - 128) : "exited with code " + code;
      }
      GroupStop.killRemains(proc.pid());
      afterExit(unit, failure, how);
    } catch (IOException | RuntimeException e) {
      log.warn("handling the exit of {}/{} failed", unit.app, unit.service, e);
    }
  }

  /** Applies the restart policy, backoff and crash-loop detection. Holds the unit's op. */
  void afterExit(Unit unit, boolean failure, String how) throws IOException {
    Instant now = Instant.now();
    Unit.State next;
    RunRecord ended = null;
    synchronized (unit) {
      unit.lastExit = how;
      RestartDecider.Decision decision =
          unit.restartDecider.afterExit(unit.spec.restart(), failure, unit.upSince, now);
      switch (decision.outcome()) {
        case STOP -> next = Unit.State.STOPPED;
        case GIVE_UP -> {
          next = Unit.State.FAILED;
          unit.lastExit = unit.restartDecider.givingUp(how, decision);
          log.warn("{}/{} is crash-looping: {}", unit.app, unit.service, unit.lastExit);
        }
        default -> {
          next = Unit.State.STARTING;
          long generation = unit.generation;
          unit.pendingRestart =
              timers.later(() -> restartAfterBackoff(unit, generation), decision.delay());
          log.info(
              "{}/{} {}; restarting in {} ms",
              unit.app,
              unit.service,
              how,
              decision.delay().toMillis());
        }
      }
      unit.state = next;
      unit.health.reset(HealthStatus.CRITICAL, unit.lastExit);
      if (next != Unit.State.STARTING && unit.lastRecord != null) {
        ended = unit.lastRecord.ended(unit.lastExit, next == Unit.State.FAILED);
        unit.lastRecord = ended;
      }
    }
    if (ended != null) {
      // Kept, so the next agent knows the service ended for good rather than died unwatched.
      RunFiles.write(unit.layout.runFile(unit.service), ended);
    }
    board.fire(unit);
  }

  private void restartAfterBackoff(Unit unit, long generation) {
    timers.whenFree(unit.op, () -> restart(unit, generation));
  }

  private void restart(Unit unit, long generation) {
    try {
      int restarts;
      synchronized (unit) {
        if (unit.generation != generation || unit.state != Unit.State.STARTING) {
          return;
        }
        unit.pendingRestart = null;
        restarts = unit.restarts + 1;
      }
      try {
        launch(unit, unit.version, unit.spec, restarts);
      } catch (IOException | RuntimeException e) {
        log.warn("could not restart {}/{}: {}", unit.app, unit.service, e.getMessage());
        synchronized (unit) {
          unit.restarts = restarts;
        }
        afterExit(unit, true, "could not restart: " + e.getMessage());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("restarting {}/{} failed", unit.app, unit.service, e);
    }
  }

  /**
   * Stops the units' process groups, all signalled before any is waited for, and removes their run
   * files. Cancels pending restarts. Holds every unit's op.
   */
  void stopUnits(List<Unit> chosen, Runnable tick) throws IOException {
    List<GroupStop.Target> targets = new ArrayList<>();
    for (Unit unit : chosen) {
      Unit.Proc proc;
      RunRecord record;
      StopSpec stop;
      synchronized (unit) {
        unit.generation++;
        unit.cancelTimers();
        proc = unit.proc;
        record = unit.lastRecord;
        unit.proc = null;
        stop = unit.spec == null ? DEFAULT_STOP : unit.spec.stop();
      }
      if (proc != null) {
        targets.add(
            new GroupStop.Target(
                proc.pid(), proc.startedAt(), proc.process(), stop.signal(), stop.grace()));
      } else if (record != null) {
        // Whatever may be left of an earlier process's group.
        targets.add(
            new GroupStop.Target(
                record.pid(), record.startInstant(), null, stop.signal(), stop.grace()));
      }
    }
    GroupStop.stopAll(targets, tick);
    for (Unit unit : chosen) {
      Files.deleteIfExists(unit.layout.runFile(unit.service));
      synchronized (unit) {
        unit.lastRecord = null;
        unit.health.reset(HealthStatus.CRITICAL, "not running");
      }
    }
  }

  /**
   * Forgets the unit and its run file unless its process runs or a deliberate operation holds it.
   *
   * @return whether it was forgotten
   */
  boolean dropIfStopped(Unit unit) {
    if (!unit.op.tryLock()) {
      return false;
    }
    try {
      synchronized (unit) {
        if (unit.proc != null) {
          return false;
        }
        unit.generation++;
        unit.cancelTimers();
        board.remove(unit);
      }
      Files.deleteIfExists(unit.layout.runFile(unit.service));
      return true;
    } catch (IOException e) {
      log.warn("could not remove the run file of {}/{}", unit.app, unit.service, e);
      return true;
    } finally {
      unit.op.unlock();
    }
  }
}
