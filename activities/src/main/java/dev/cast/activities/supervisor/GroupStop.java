package dev.cast.activities.supervisor;

import dev.cast.activities.process.ProcStat;
import dev.cast.activities.process.ProcessGroups;
import dev.cast.activities.process.ProcessIdentity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops whole process groups: the stop signal to every group first, then up to each grace for the
 * group to be gone, then KILL. Stopping several takes the longest grace, not the sum.
 */
final class GroupStop {
  private static final long FIRST_POLL_MILLIS = 2;
  private static final long MAX_POLL_MILLIS = 50;

  /** A group to stop, with the handle of its leader when this agent started it. */
  record Target(long pgid, Instant startedAt, Process process, String signal, Duration grace) {}

  private GroupStop() {}

  static void stopAll(List<Target> targets, Runnable tick) throws IOException {
    List<Target> signalled = new ArrayList<>();
    for (Target target : targets) {
      if (ownsGroup(target.pgid(), target.startedAt())) {
        ProcessGroups.signal(target.pgid(), target.signal());
        signalled.add(target);
      }
    }
    Instant signalledAt = Instant.now();
    for (Target target : signalled) {
      Instant deadline = signalledAt.plus(target.grace());
      if (target.process() != null) {
        awaitExit(target.process(), deadline, tick);
      }
      if (!awaitGone(target.pgid(), deadline, tick)) {
        ProcessGroups.kill(target.pgid(), tick);
      }
    }
  }

  /** KILLs what is left of a group whose leader is gone, and waits for it to go. */
  static void killRemains(long pgid) throws IOException {
    if (ProcStat.read(pgid).map(ProcStat::running).orElse(false)) {
      return; // The pid names a new, unrelated process now; its group is not the service's.
    }
    ProcessGroups.kill(pgid, () -> {});
  }

  /**
   * Whether the recorded group is still the service's. When the leader runs it must be the recorded
   * process (a reused pid belongs to someone else). When the leader is gone, any process left in
   * its group is the service's: Linux never hands out a pid still used as a group id.
   */
  static boolean ownsGroup(long pgid, Instant startedAt) {
    boolean leaderRuns = ProcStat.read(pgid).map(ProcStat::running).orElse(false);
    if (leaderRuns) {
      return ProcessIdentity.isRunning(pgid, startedAt);
    }
    return ProcessGroups.groupAlive(pgid);
  }

  /**
   * Waits for the leader this agent started to exit. {@code waitFor}, not {@code onExit()}: on two
   * cores or fewer each {@code onExit()} future completes on a new thread.
   */
  private static void awaitExit(Process process, Instant deadline, Runnable tick)
      throws IOException {
    while (Instant.now().isBefore(deadline)) {
      long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
      try {
        if (process.waitFor(Math.min(left, 100), TimeUnit.MILLISECONDS)) {
          return;
        }
        tick.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping " + process.pid(), e);
      }
    }
  }

  /** Polls, quickly at first, until the group is gone or the deadline passes. */
  private static boolean awaitGone(long pgid, Instant deadline, Runnable tick) throws IOException {
    long poll = FIRST_POLL_MILLIS;
    while (ProcessGroups.groupAlive(pgid)) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      tick.run();
      sleep(poll);
      poll = Math.min(poll * 2, MAX_POLL_MILLIS);
    }
    return true;
  }

  static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
