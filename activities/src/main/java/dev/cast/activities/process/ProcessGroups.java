package dev.cast.activities.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Signals and liveness of process groups. Every service and hook leads its own group (started
 * through {@code setsid}), so its pgid is its pid.
 */
public final class ProcessGroups {
  /** Polling interval while waiting for a group to go away. */
  static final Duration POLL = Duration.ofMillis(20);

  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private ProcessGroups() {}

  /**
   * Whether any process that still runs (zombies do not count) belongs to the group. Cheapest
   * answer first: the leader's own stat while it runs (it is usually the last to go), then
   * kill(-pgid, 0) for a group that is gone; only a group of strays or zombies needs a look at
   * every process in {@code /proc}.
   */
  public static boolean groupAlive(long pgid) {
    Optional<ProcStat> leader = ProcStat.read(pgid);
    if (leader.isPresent() && leader.get().pgrp() == pgid && leader.get().running()) {
      return true;
    }
    if (Libc.AVAILABLE && !Libc.groupExists(pgid)) {
      return false;
    }
    return anyRunningMember(pgid);
  }

  /** Reads the stat of every process on the machine. */
  static boolean anyRunningMember(long pgid) {
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        Optional<ProcStat> stat = ProcStat.read(proc.resolve("stat"));
        if (stat.isPresent() && stat.get().pgrp() == pgid && stat.get().running()) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
  }

  /**
   * Waits until a process started through {@code setsid} leads its own group. {@code start()}
   * returns once {@code setsid} is exec'd, a moment before it calls setsid(2); a signal sent to the
   * group in that moment would find no group.
   */
  public static void awaitLeader(Process process) throws IOException {
    Instant deadline = Instant.now().plus(KILL_WAIT);
    while (process.isAlive()) {
      Optional<ProcStat> stat = ProcStat.read(process.pid());
      if (stat.isEmpty() || stat.get().pgrp() == process.pid() || !stat.get().running()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("process " + process.pid() + " did not become a group leader");
      }
      sleep(Duration.ofMillis(1));
    }
  }

  /** Sends a signal (a name without SIG) to every process of the group. A gone group is fine. */
  public static void signal(long pgid, String signal) throws IOException {
    if (Libc.AVAILABLE) {
      Libc.signalGroup(pgid, signal);
    } else {
      signalWithCommand(pgid, signal);
    }
  }

  /** The {@code kill} command, where the C library cannot be called: a fork per signal. */
  static void signalWithCommand(long pgid, String signal) throws IOException {
    Process kill =
        new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      kill.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling process group " + pgid, e);
    }
  }

  /**
   * Waits until the group is gone or the timeout passes, calling {@code tick} between polls.
   *
   * @return whether the group is gone
   */
  public static boolean awaitGone(long pgid, Duration timeout, Runnable tick) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (groupAlive(pgid)) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      tick.run();
      sleep(POLL);
    }
    return true;
  }

  /** KILLs the whole group and waits for it to be gone. */
  public static void kill(long pgid, Runnable tick) throws IOException {
    if (!groupAlive(pgid)) {
      return;
    }
    signal(pgid, "KILL");
    if (!awaitGone(pgid, KILL_WAIT, tick)) {
      throw new IOException("process group " + pgid + " survived KILL for " + KILL_WAIT);
    }
  }

  static void sleep(Duration duration) throws IOException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
