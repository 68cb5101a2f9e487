package dev.cast.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench JVM's CPU time split by what its threads do (the control worker's workflow tasks, the
 * agents' activities, the Temporal server, the api, …, the JVM's own garbage collector and JIT
 * compiler threads), plus the CPU of reaped child processes (services' wrappers, health checks),
 * and what the rest of the machine used meanwhile. Everything runs in one JVM, so a snapshot before
 * and after a deployment shows where its CPU went.
 */
final class CpuProfile {
  static final String WORKFLOW_TASKS = "control worker: workflow tasks";
  static final String TORRENT = "BitTorrent peers (libtorrent, native)";
  static final String GC = "JVM: garbage collector";
  static final String JIT = "JVM: JIT compiler";
  static final String OTHER = "JVM: other native and ended threads";
  static final String CHILDREN = "child processes (reaped)";
  static final String OTHERS = "other processes on this machine";

  /** Groups in the order they are printed. */
  static final List<String> GROUPS =
      List.of(
          WORKFLOW_TASKS,
          "control worker: catalog activities",
          "agents: host activities",
          "agents: supervisors, process reapers",
          "agents: api calls, heartbeats",
          "Temporal server + gRPC",
          "Temporal pollers",
          "api (Jetty)",
          "other threads",
          TORRENT,
          GC,
          JIT,
          OTHER,
          CHILDREN,
          OTHERS);

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> threadNanos;
  private final Map<Long, String> threadNames;
  private final long processNanos;
  private final long[] selfTicks;
  private final long machineTicks;
  private final Map<String, Long> jvmTicks;
  private final long threadsStarted;

  private CpuProfile(
      Map<Long, Long> threadNanos,
      Map<Long, String> threadNames,
      long processNanos,
      long[] selfTicks,
      long machineTicks,
      Map<String, Long> jvmTicks,
      long threadsStarted) {
    this.threadNanos = threadNanos;
    this.threadNames = threadNames;
    this.processNanos = processNanos;
    this.selfTicks = selfTicks;
    this.machineTicks = machineTicks;
    this.jvmTicks = jvmTicks;
    this.threadsStarted = threadsStarted;
  }

  static CpuProfile now() {
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null) {
        long cpu = THREADS.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          nanos.put(info.getThreadId(), cpu);
          names.put(info.getThreadId(), info.getThreadName());
        }
      }
    }
    long process =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    return new CpuProfile(
        nanos,
        names,
        process,
        selfTicks(),
        machineTicks(),
        jvmThreadTicks(),
        THREADS.getTotalStartedThreadCount());
  }

  /** Milliseconds of CPU per group between {@code before} and this snapshot. */
  Map<String, Double> since(CpuProfile before) {
    Map<String, Double> ms = new LinkedHashMap<>();
    GROUPS.forEach(g -> ms.put(g, 0.0));
    double threads = 0;
    for (var e : threadNanos.entrySet()) {
      double delta = (e.getValue() - before.threadNanos.getOrDefault(e.getKey(), 0L)) / 1e6;
      threads += delta;
      ms.merge(group(threadNames.get(e.getKey())), delta, Double::sum);
    }
    double natives = 0;
    for (String group : List.of(TORRENT, GC, JIT)) {
      double delta = ticksToMs(jvmTicks.get(group) - before.jvmTicks.get(group));
      ms.put(group, delta);
      natives += delta;
    }
    ms.put(OTHER, Math.max(0, (processNanos - before.processNanos) / 1e6 - threads - natives));
    double self = ticksToMs(selfTicks[0] - before.selfTicks[0]);
    double children = ticksToMs(selfTicks[1] - before.selfTicks[1]);
    ms.put(CHILDREN, children);
    // Another build or test on the machine makes the figures unreliable; this shows it.
    ms.put(OTHERS, Math.max(0, ticksToMs(machineTicks - before.machineTicks) - self - children));
    return ms;
  }

  /** Threads this JVM started between {@code before} and this snapshot. */
  long threadsStarted(CpuProfile before) {
    return threadsStarted - before.threadsStarted;
  }

  /** The process's own CPU, ms, between {@code before} and this snapshot (children not counted). */
  double processMs(CpuProfile before) {
    return (processNanos - before.processNanos) / 1e6;
  }

  static String group(String thread) {
    if (thread.startsWith("Workflow Executor") || thread.startsWith("workflow")) {
      return WORKFLOW_TASKS;
    } else if (thread.startsWith("Activity Executor taskQueue=\"cast-control\"")
        || thread.startsWith("Activity Executor taskQueue=cast-control")) {
      return "control worker: catalog activities";
    } else if (thread.startsWith("Activity Executor")) {
      return "agents: host activities";
    } else if (thread.startsWith("cast-supervisor") || thread.startsWith("process reaper")) {
      return "agents: supervisors, process reapers";
    } else if (thread.startsWith("HttpClient")
        || thread.startsWith("cast-agent")
        || thread.startsWith("TemporalActivityHeartbeat")) {
      return "agents: api calls, heartbeats";
    } else if (thread.startsWith("grpc-") || thread.startsWith("SelfAdvancingTimer")) {
      return "Temporal server + gRPC";
    } else if (thread.contains("Poller")) {
      return "Temporal pollers";
    } else if (thread.startsWith("SessionManager")) {
      return TORRENT; // libtorrent4j's alert loop
    } else if (thread.startsWith("dw-")) {
      return "api (Jetty)";
    }
    return "other threads";
  }

  /**
   * This process's own CPU (utime + stime) and its reaped children's (cutime + cstime), in clock
   * ticks, from /proc/self/stat.
   */
  private static long[] selfTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {
        Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])
      };
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /**
   * CPU clock ticks of the native threads ThreadMXBean does not see: the garbage collector, the JIT
   * compiler and libtorrent's, by their names in /proc/self/task (cut to 15 characters).
   */
  private static Map<String, Long> jvmThreadTicks() {
    Map<String, Long> ticks = new HashMap<>(Map.of(TORRENT, 0L, GC, 0L, JIT, 0L));
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          String group = null;
          if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            group = GC;
          } else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            group = JIT;
          } else if (name.equals("Network")) {
            group = TORRENT; // libtorrent's session thread: the api's peer and every agent's
          }
          if (group != null) {
            String stat = Files.readString(task.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks.merge(group, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
          }
        } catch (IOException | RuntimeException e) {
          // The thread ended while we looked.
        }
      }
    } catch (IOException e) {
      // No /proc: the groups stay at zero and their CPU shows under OTHER.
    }
    return ticks;
  }

  /** Busy clock ticks of the whole machine (all but idle and iowait), from /proc/stat. */
  private static long machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** USER_HZ is 100 on Linux: one tick is 10 ms. */
  private static double ticksToMs(long ticks) {
    return ticks * 10.0;
  }
}
