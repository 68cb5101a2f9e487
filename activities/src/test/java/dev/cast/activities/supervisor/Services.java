package dev.cast.activities.supervisor;

import dev.cast.activities.testing.Procs;
import dev.cast.activities.testing.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Manifests and observations shared by the supervisor tests. */
final class Services {
  static final Duration WAIT = Duration.ofSeconds(15);

  private Services() {}

  /** A manifest of app hello with one service, web, running {@code command} (YAML flow list). */
  static String web(String command, String... extraLines) {
    StringBuilder yml =
        new StringBuilder(
            "name: hello\nversion: \"0\"\nservices:\n  web:\n    command: " + command + "\n");
    for (String line : extraLines) {
      yml.append("    ").append(line).append('\n');
    }
    return yml.toString();
  }

  /** A service that appends the time it started (ns) to {@code starts}, then exits. */
  static String recordsStarts(int exitCode) {
    return "[\"sh\", \"-c\", \"date +%s%N >> starts; exit " + exitCode + "\"]";
  }

  /** The start times {@link #recordsStarts} wrote, in ms. */
  static List<Long> starts(TestHost host, String version) {
    Path file = host.app("hello").releaseDir(version).resolve("starts");
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      return Files.readAllLines(file).stream()
          .filter(l -> !l.isBlank())
          .map(l -> Long.parseLong(l.strip()) / 1_000_000)
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  static void awaitState(TestHost host, String state) {
    Procs.await(
        () -> state.equals(host.status("hello", "web").state()),
        WAIT,
        "web " + state + " (it is " + host.status("hello", "web") + ")");
  }

  static long pid(TestHost host) {
    Long pid = host.status("hello", "web").pid();
    if (pid == null) {
      throw new AssertionError("web is not running: " + host.status("hello", "web"));
    }
    return pid;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
