package dev.cast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Stops the services a benchmark's agent started (they outlive the agent by design). */
final class Processes {
  private Processes() {}

  /** Kills the process group of every run file found under {@code dir}. */
  static void killServices(Path dir) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path run : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        if (run.getParent().endsWith("run")) {
          long pid = json.readTree(run.toFile()).path("pid").asLong();
          if (pid > 1) {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
          }
        }
      }
    }
  }
}
