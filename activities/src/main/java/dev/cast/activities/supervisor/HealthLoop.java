package dev.cast.activities.supervisor;

import dev.cast.activities.process.ServiceEnvironment;
import dev.cast.bundle.ServiceSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Checks the health of every running service all the time, at its manifest's interval, and on
 * demand; each outcome goes into the unit's {@link HealthStatus}, and a change of status is told to
 * the {@link StatusBoard}'s listeners.
 */
final class HealthLoop {
  private final String hostName;
  private final Timers timers;
  private final StatusBoard board;
  private final HealthChecker checker = new HealthChecker();

  HealthLoop(String hostName, Timers timers, StatusBoard board) {
    this.hostName = hostName;
    this.timers = timers;
    this.board = board;
  }

  /**
   * Schedules the periodic checks of the unit's process unless they are scheduled or it has no
   * check. Holds the monitor.
   *
   * @throws java.util.concurrent.RejectedExecutionException when closing
   */
  void schedule(Unit unit, Unit.Proc proc) {
    if (unit.spec.health() != null && unit.healthTask == null) {
      Duration every = Duration.ofMillis(Math.max(10, unit.spec.health().interval().toMillis()));
      unit.healthTask = timers.every(() -> scheduledCheck(unit, proc), every);
    }
  }

  /**
   * Runs the check now against the process and records the outcome. A service without a check
   * passes while it runs.
   */
  CheckResult checkNow(Unit unit, Unit.Proc proc, Runnable tick) throws IOException {
    CheckResult result = runCheck(unit, proc, tick);
    record(unit, proc, result);
    return result;
  }

  private void scheduledCheck(Unit unit, Unit.Proc proc) {
    synchronized (unit) {
      if (timers.closed() || unit.proc != proc) {
        return;
      }
    }
    try {
      record(unit, proc, runCheck(unit, proc, () -> {}));
    } catch (IOException | RuntimeException e) {
      record(unit, proc, new CheckResult(false, "check could not run: " + e.getMessage()));
    }
  }

  private CheckResult runCheck(Unit unit, Unit.Proc proc, Runnable tick) throws IOException {
    ServiceSpec spec;
    String version;
    synchronized (unit) {
      spec = unit.spec;
      version = unit.version;
    }
    if (spec.health() == null) {
      return new CheckResult(true, "process " + proc.pid() + " is running");
    }
    Map<String, Integer> servicePorts = proc.record().ports();
    Map<String, String> env =
        ServiceEnvironment.build(
            spec.env(), spec.ports(), servicePorts, unit.app, version, hostName);
    return checker.check(spec.health(), servicePorts, unit.layout.releaseDir(version), env, tick);
  }

  /** Records the outcome unless the process has been replaced since the check began. */
  private void record(Unit unit, Unit.Proc proc, CheckResult result) {
    boolean changed;
    synchronized (unit) {
      if (unit.proc != proc) {
        return;
      }
      int failures = unit.spec.health() == null ? 1 : unit.spec.health().failures();
      changed = unit.health.record(result.passed(), result.output(), failures);
    }
    if (changed) {
      board.fire(unit);
    }
  }
}
