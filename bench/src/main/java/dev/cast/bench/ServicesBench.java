package dev.cast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Service management costs. (1) Restart of a service whose process is ready at once, REST accepted
 * → healthy again: median of N runs, target ≤ 300 ms. (2) CPU of a host agent (its own JVM, as on a
 * real host) supervising 50 idle services, over a measured window: target under 1% of one core.
 */
public final class ServicesBench {
  private static final double RESTART_TARGET_MS = 300;
  private static final double CPU_TARGET_PERCENT = 1.0;
  private static final String READY_AT_ONCE =
      "    command: [\"sh\", \"-c\", \"exec sleep 100000\"]\n    stop: {signal: TERM, grace: 2s}\n";

  public static void main(String[] args) throws Exception {
    int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 20;
    int window = args.length >= 4 && args[2].equals("--seconds") ? Integer.parseInt(args[3]) : 30;
    BenchServer server = BenchServer.start();
    Process agent = null;
    try {
      restarts(server, runs);
      agent = startAgent(server);
      idleCpu(server, agent, window);
    } finally {
      if (agent != null) {
        agent.destroy();
        agent.waitFor();
      }
      server.stop();
    }
    System.exit(0);
  }

  private static void restarts(BenchServer server, int runs) throws Exception {
    server.push("quick", "name: quick\nversion: 0\nservices:\n  web:\n" + READY_AT_ONCE, "1.0.0");
    server.run("/v1/apps/quick/deployments", Map.of("version", "1.0.0"));
    server.run("/v1/apps/quick/services/web/restart", Map.of()); // warm-up
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      times.add(server.run("/v1/apps/quick/services/web/restart", Map.of()));
    }
    double median = DeployBench.median(times);
    System.out.printf(
        "restart (REST accepted -> healthy again), %d runs: median %.1f ms  p90 %.1f ms  target"
            + " %.0f ms  ratio %.2f  %s%n",
        runs,
        median,
        DeployBench.percentile(times, 0.9),
        RESTART_TARGET_MS,
        median / RESTART_TARGET_MS,
        median <= RESTART_TARGET_MS ? "MET" : "MISSED");
  }

  private static Process startAgent(BenchServer server) throws Exception {
    Path dir = server.dir.resolve("idle-agent");
    Files.createDirectories(dir);
    String temporal = server.app.runtime().temporal().target();
    Process agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.cast.cli.Main",
                "agent",
                "--name",
                "idle",
                "--data-dir",
                dir.toString(),
                "--api",
                "http://127.0.0.1:" + server.port,
                "--temporal",
                temporal,
                "--token",
                server.app.runtime().agentToken())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile())
            .start();
    long end = System.nanoTime() + 60_000_000_000L;
    while (server.api.get("/v1/hosts/idle").status() != 200) {
      BenchServer.require(
          agent.isAlive() && System.nanoTime() < end, "the idle agent never came up");
      Thread.sleep(100);
    }
    return agent;
  }

  private static void idleCpu(BenchServer server, Process agent, int seconds) throws Exception {
    StringBuilder manifest = new StringBuilder("name: idle\nversion: 0\nservices:\n");
    for (int i = 1; i <= 50; i++) {
      manifest.append("  s").append(i).append(":\n").append(READY_AT_ONCE);
    }
    server.push("idle", manifest.toString(), "1.0.0");
    server.run("/v1/apps/idle/deployments", Map.of("version", "1.0.0", "hosts", List.of("idle")));
    Thread.sleep(5000); // let start-up work settle
    long ticksBefore = cpuTicks(agent.pid());
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (cpuTicks(agent.pid()) - ticksBefore) / 100.0; // USER_HZ is 100 on Linux
    double percent = 100 * cpuSeconds / elapsed;
    System.out.printf(
        "agent CPU with 50 idle supervised services over %.0f s: %.2f%% of one core  target <"
            + " %.0f%%  ratio %.2f  %s%n",
        elapsed,
        percent,
        CPU_TARGET_PERCENT,
        percent / CPU_TARGET_PERCENT,
        percent < CPU_TARGET_PERCENT ? "MET" : "MISSED");
  }

  /** utime + stime of a process, in clock ticks, from /proc/<pid>/stat. */
  private static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
