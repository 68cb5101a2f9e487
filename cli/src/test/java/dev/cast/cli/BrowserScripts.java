package dev.cast.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.temporal.DevTemporalServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scripts in {@code src/test/ui} that drive Debian's {@code chromium} with npm's {@code
 * playwright-core}, for the tests that look at a page in a real browser. Each script takes its
 * input as one JSON argument and prints what it saw as JSON lines.
 */
final class BrowserScripts {
  private static final Path DIR = Path.of("src/test/ui");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String node;
  private final String chromium;

  private BrowserScripts(String node, String chromium) {
    this.node = node;
    this.chromium = chromium;
  }

  /** What a script printed: all of it, the JSON lines among it, and its exit code. */
  record Run(String report, List<JsonNode> lines, int exitCode) {}

  /**
   * The scripts, or the test skipped naming what is missing: chromium, node, or playwright-core
   * ({@code npm ci} in {@code src/test/ui}; {@code .ci/run} installs all three).
   */
  static BrowserScripts required() {
    String chromium = DevTemporalServer.onPath("chromium").orElse(null);
    assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium); skipping");
    String node = DevTemporalServer.onPath("node").orElse(null);
    assumeTrue(node != null, "node is not installed; skipping");
    assumeTrue(
        Files.isDirectory(DIR.resolve("node_modules/playwright-core")),
        "playwright-core is not installed (npm ci in cli/src/test/ui); skipping");
    return new BrowserScripts(node, chromium);
  }

  /**
   * Runs {@code script} with {@code input}, its output kept in a file under {@code outputDir};
   * fails when it runs longer than {@code limit}.
   */
  Run run(String script, Object input, Path outputDir, Duration limit, Map<String, String> env)
      throws Exception {
    Path out = Files.createTempFile(outputDir, script.replace(".mjs", "-"), ".out");
    ProcessBuilder builder =
        new ProcessBuilder(node, script, JSON.writeValueAsString(input))
            .directory(DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(script + " took over " + limit + ": " + Files.readString(out));
    }
    String report = Files.readString(out);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : report.split("\n")) {
      if (line.startsWith("{")) {
        lines.add(JSON.readTree(line));
      }
    }
    return new Run(report, lines, process.exitValue());
  }
}
