package dev.cast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Stops the services a benchmark's agent started (they outlive the agent by design). */
final class Processes {
  private Processes() {}

  /**
   * Kills the process group of every run file found under {@code dir}, and waits (up to 10 s) until
   * no process of those groups is left, so the benchmark ends with nothing behind it.
   */
  static void killServices(Path dir) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    List<Long> groups = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path run : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        if (run.getParent().endsWith("run")) {
          long pid = json.readTree(run.toFile()).path("pid").asLong();
          if (pid > 1) {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
            groups.add(pid);
          }
        }
      }
    }
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!members(Set.copyOf(groups)).isEmpty() && System.nanoTime() < end) {
      Thread.sleep(50);
    }
  }

  /** Processes (zombies included, until their parent reaps them) in any of these groups. */
  private static List<Long> members(Set<Long> groups) throws IOException {
    List<Long> found = new ArrayList<>();
    if (groups.isEmpty()) {
      return found;
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(proc.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (groups.contains(Long.parseLong(fields[2]))) {
            found.add(Long.parseLong(proc.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited while we looked
        }
      }
    }
    return found;
  }
}
