package dev.cast.activities.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Looks at processes through /proc, independently of the code under test. */
public final class Procs {
  private Procs() {}

  /** Pids of the running (non-zombie) processes in a process group. */
  public static List<Long> groupMembers(long pgid) {
    List<Long> members = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        String[] fields = statFields(proc.resolve("stat"));
        if (fields != null && Long.parseLong(fields[2]) == pgid && !zombie(fields)) {
          members.add(Long.parseLong(proc.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return members;
  }

  /** Whether the pid belongs to a running (non-zombie) process. */
  public static boolean alive(long pid) {
    String[] fields = statFields(Path.of("/proc", Long.toString(pid), "stat"));
    return fields != null && !zombie(fields);
  }

  public static long pgid(long pid) {
    String[] fields = statFields(Path.of("/proc", Long.toString(pid), "stat"));
    return fields == null ? -1 : Long.parseLong(fields[2]);
  }

  /** Fields after the command name: state, ppid, pgrp, ... */
  private static String[] statFields(Path stat) {
    try {
      String text = Files.readString(stat);
      return text.substring(text.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean zombie(String[] fields) {
    return fields[0].equals("Z") || fields[0].equals("X");
  }

  public static void await(BooleanSupplier condition, Duration timeout, String what) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /**
   * KILLs every process working in a directory below {@code root}: the safety net that keeps a
   * failed test from leaking the services and hooks it started.
   */
  public static void killAllUnder(Path root) {
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      return;
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          if (Files.readSymbolicLink(proc.resolve("cwd")).startsWith(real)) {
            ProcessHandle.of(Long.parseLong(proc.getFileName().toString()))
                .ifPresent(ProcessHandle::destroyForcibly);
          }
        } catch (IOException | RuntimeException e) {
          // Gone, or not ours to look at.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** KILLs a whole process group, for test clean-up. */
  public static void killGroup(long pgid) {
    if (groupMembers(pgid).isEmpty()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-s", "KILL", "--", "-" + pgid).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    await(() -> groupMembers(pgid).isEmpty(), Duration.ofSeconds(10), "group " + pgid + " gone");
  }
}
