package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.testkit.TempDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cast's web console in a real browser against a real server of two hosts (the embedded agent and
 * one more agent process): an admin logs in, pushes a release by file upload, starts a canary
 * deploy with a manual promote from the app's page, sees it await promote, presses Promote and sees
 * it succeed; a viewer, in a tab of their own, sees the same deployment without a button; the
 * service's page shows a line the app printed, and after Restart the next one arrives on the
 * followed log. Screenshots go to {@code target/console/}.
 *
 * <p>The browser is driven by {@code src/test/ui/console.mjs} (npm {@code playwright-core} with
 * Debian's {@code chromium}); this test asserts on what the script reports it saw, and on the api's
 * own record of what happened. Needs {@code chromium}, {@code node} and {@code npm ci} in {@code
 * src/test/ui}; it skips, naming the piece, without one.
 */
class ConsoleBrowserTest {
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static final Path SCREENSHOTS = Path.of("target/console");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LINE = "hello 2.0.0 listening on";

  private BrowserScripts browser;
  private CastServerHarness cast;
  private Process agent;

  @BeforeEach
  void needsBrowserAndNode() {
    browser = BrowserScripts.required();
  }

  @AfterEach
  void stop() throws Exception {
    if (cast == null) {
      return;
    }
    try {
      if (agent != null) {
        agent.destroy();
        if (!agent.waitFor(10, TimeUnit.SECONDS)) {
          agent.destroyForcibly();
        }
      }
      cast.killServices();
    } finally {
      cast.app.after();
    }
  }

  @Test
  void anOperatorDeploysACanaryPromotesItAndReadsTheLogWhileAViewerOnlyWatches() throws Exception {
    cast = new CastServerHarness();
    cast.app.before();
    agent = cast.startAgent("web-2");
    cast.awaitHost();
    cast.awaitHost("web-2", agent);
    ApiClient api = cast.api();
    Path bundles = TempDirs.create("cast-console-");
    Main.Bundles.pack(EXAMPLE, null, "1.0.0", bundles.resolve("hello-1.0.0.tar.gz"));
    Main.Bundles.pack(EXAMPLE, null, "2.0.0", bundles.resolve("hello-2.0.0.tar.gz"));
    assertThat(api.pushBundle("hello", bundles.resolve("hello-1.0.0.tar.gz")).status())
        .isEqualTo(201);
    ApiClient.Reply viewer =
        api.postJson("/v1/tokens", Map.of("name", "watcher", "role", "viewer"));
    assertThat(viewer.status()).as(viewer.body().toString()).isEqualTo(201);

    // The page itself: public, revalidated on each load, and under a strict policy.
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(cast.baseUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"/console/app.js\">");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'", "default-src 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    String etag = page.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(cast.baseUrl() + "/console/app.js"))
                    .header("If-None-Match", etag)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as("another file's ETag").isEqualTo(200);
    HttpResponse<String> unchanged =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(cast.baseUrl() + "/"))
                    .header("If-None-Match", etag)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(unchanged.statusCode()).isEqualTo(304);

    Files.createDirectories(SCREENSHOTS);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("base", cast.baseUrl());
    input.put("admin", cast.adminToken());
    input.put("viewer", viewer.body().path("secret").asText());
    input.put("bundle", bundles.resolve("hello-2.0.0.tar.gz").toAbsolutePath().toString());
    input.put("app", "hello");
    input.put("version", "2.0.0");
    input.put("service", "web");
    input.put("logHost", "local");
    input.put("logText", LINE);
    input.put("screenshots", SCREENSHOTS.toAbsolutePath().toString());
    JsonNode seen = drive(input);

    // A wrong token is refused on the login page with the api's reason.
    assertThat(seen.path("wrongToken").asText()).startsWith("401").contains("unknown, revoked");
    assertThat(seen.path("adminRole").asText()).isEqualToIgnoringCase("admin");
    assertThat(seen.path("pushed").asText()).startsWith("pushed hello 2.0.0");
    // While the canary waits: the admin may promote, pause or cancel; the viewer may do nothing.
    assertThat(texts(seen.path("adminButtons"))).containsExactly("promote", "pause", "cancel");
    assertThat(seen.path("viewerRole").asText()).isEqualToIgnoringCase("viewer");
    assertThat(texts(seen.path("viewerButtons"))).as("buttons a viewer saw").isEmpty();
    assertThat(texts(seen.path("viewerForms"))).as("forms a viewer saw on the app").isEmpty();
    assertThat(texts(seen.path("viewerAppButtons"))).isEmpty();
    assertThat(seen.path("viewerNav").asText()).doesNotContain("Audit");
    assertThat(seen.path("hostsWhileWaiting").asText())
        .containsPattern("(local|web-2)\\s+healthy\\s+2\\.0\\.0 is serving")
        .containsPattern("(local|web-2)\\s+staged");
    assertThat(seen.path("finalState").asText()).isEqualTo("SUCCEEDED");
    assertThat(seen.path("timeline").asText())
        .contains("phase awaiting promote", "promote requested", "ended SUCCEEDED");
    assertThat(seen.path("linesBefore").asInt()).isPositive();
    assertThat(seen.path("linesAfter").asInt())
        .as("lines saying \"%s\" on the followed log after Restart; it showed:%n%s", LINE, seen)
        .isGreaterThan(seen.path("linesBefore").asInt());
    assertThat(texts(seen.path("errors"))).as("script errors in the pages").isEmpty();

    // What the api recorded: the deploy the page started, promoted by the admin, on both hosts.
    String id = seen.path("deployment").asText();
    JsonNode deployment = api.get("/v1/deployments/" + id).body();
    assertThat(deployment.path("state").asText()).as(deployment.toString()).isEqualTo("SUCCEEDED");
    assertThat(deployment.path("version").asText()).isEqualTo("2.0.0");
    assertThat(deployment.path("reason").asText()).isEqualTo("canary from the console");
    assertThat(CastServerHarness.hostStates(deployment))
        .containsEntry("local", "healthy")
        .containsEntry("web-2", "healthy");
    JsonNode audit = api.get("/v1/audit?limit=200").body();
    assertThat(audit.toString())
        .contains("/v1/deployments/" + id + "/promote")
        .contains("/v1/apps/hello/releases");
    for (String png :
        List.of(
            "login-refused.png",
            "app.png",
            "deployment-awaiting-promote.png",
            "deployment-as-viewer.png",
            "deployment-succeeded.png",
            "service-log.png")) {
      assertThat(SCREENSHOTS.resolve(png)).isNotEmptyFile();
    }
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }

  /** Runs {@code console.mjs} and returns its report; fails with it when a step failed. */
  private JsonNode drive(Map<String, Object> input) throws Exception {
    BrowserScripts.Run run =
        browser.run(
            "console.mjs",
            input,
            SCREENSHOTS,
            Duration.ofMinutes(4),
            Map.of("CAST_UI_WAIT_MS", "45000"));
    String report = run.report();
    JsonNode seen = run.lines().isEmpty() ? null : run.lines().get(run.lines().size() - 1);
    assertThat(seen).as("console.mjs printed no report:%n%s", report).isNotNull();
    assertThat(seen.path("failedAt").isMissingNode())
        .as(
            "console.mjs failed at \"%s\": %s%nthe page said:%n%s",
            seen.path("failedAt"), seen.path("error"), seen.path("page"))
        .isTrue();
    assertThat(run.exitCode()).as("console.mjs exit code; it said:%n%s", report).isZero();
    return seen;
  }
}
