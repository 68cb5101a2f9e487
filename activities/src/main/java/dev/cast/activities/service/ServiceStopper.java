package dev.cast.activities.service;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops services: the stop signal to each whole process group, then up to its grace for the group
 * to be gone, then KILL. All targets are signalled before any is waited for, so stopping several
 * services takes the longest grace, not the sum. Stopping something already dead is fine.
 */
public final class ServiceStopper {
  private final ServiceLauncher launcher;

  public ServiceStopper(ServiceLauncher launcher) {
    this.launcher = launcher;
  }

  public void stopAll(List<StopTarget> targets, Runnable tick) throws IOException {
    List<StopTarget> signalled = new ArrayList<>();
    for (StopTarget target : targets) {
      if (ownsGroup(target.record())) {
        ProcessGroups.signal(target.record().pid(), target.signal());
        signalled.add(target);
      }
    }
    Instant signalledAt = Instant.now();
    for (StopTarget target : signalled) {
      Duration left = Duration.between(Instant.now(), signalledAt.plus(target.grace()));
      long pgid = target.record().pid();
      if (!ProcessGroups.awaitGone(pgid, left.isNegative() ? Duration.ZERO : left, tick)) {
        ProcessGroups.kill(pgid, tick);
      }
    }
    for (StopTarget target : targets) {
      Files.deleteIfExists(target.runFile());
      launcher.forget(target.record().pid());
    }
  }

  /**
   * Whether the recorded group is still the service's. When the leader runs it must be the recorded
   * process (a reused pid belongs to someone else). When the leader is gone, any process left in
   * its group is the service's: Linux never hands out a pid still used as a group id.
   */
  static boolean ownsGroup(RunRecord record) {
    boolean leaderRuns = ProcStat.read(record.pid()).map(ProcStat::running).orElse(false);
    if (leaderRuns) {
      return record.alive();
    }
    return ProcessGroups.groupAlive(record.pid());
  }
}
