package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.bundle.BundlePacker;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Service management through REST on a real host agent: control, state, crashes, logs. */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceManagementTest {
  // Small log files, so a chatty service rotates its log every second or so.
  private static final CastServerHarness CAST =
      new CastServerHarness(ConfigOverride.config("agent.supervisor.logMaxSize", "4KiB"));
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final String WEB = "/v1/apps/hello/services/web";

  @BeforeAll
  static void deploy() throws Exception {
    CAST.deployExample();
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  /** The state of web on the one host, once it satisfies {@code until} (or after 30 s). */
  private static JsonNode web(Predicate<JsonNode> until) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode host = null;
    while (System.nanoTime() < end) {
      ApiClient.Reply reply = CAST.api().get(WEB);
      if (reply.status() == 200) {
        host = reply.body().path("hosts").get(0);
        if (until.test(host)) {
          return host;
        }
      }
      Thread.sleep(50);
    }
    return host;
  }

  private static JsonNode control(String action) throws Exception {
    ApiClient.Reply started = CAST.api().postJson(WEB + "/" + action, Map.of());
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    assertThat(started.location()).contains("/v1/deployments/");
    return CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(1));
  }

  @Test
  @Order(1)
  void showsTheServiceRunningAndHealthy() throws Exception {
    JsonNode web = web(h -> "passing".equals(h.path("health").asText()));

    assertThat(web.path("state").asText()).isEqualTo("running");
    assertThat(web.path("pid").asLong()).isPositive();
    assertThat(web.path("enabled").asBoolean()).isTrue();
    JsonNode instance = CAST.api().get("/v1/apps/hello/instances").body().get(0);
    assertThat(instance.path("health").asText()).isEqualTo("passing");
  }

  @Test
  @Order(2)
  void restartStartsANewProcessThatServes() throws Exception {
    long before = web(h -> h.path("pid").asLong() > 0).path("pid").asLong();

    JsonNode done = control("restart");

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.path("kind").asText()).isEqualTo("restart");
    assertThat(done.path("service").asText()).isEqualTo("web");
    JsonNode web = web(h -> h.path("pid").asLong() != before);
    assertThat(web.path("pid").asLong()).isNotEqualTo(before);
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).startsWith("hello from version 1.0.0");
  }

  @Test
  @Order(3)
  void aCrashedServiceIsRestartedBySupervisor() throws Exception {
    JsonNode before = web(h -> "running".equals(h.path("state").asText()));
    new ProcessBuilder("kill", "-KILL", "--", "-" + before.path("pid").asLong()).start().waitFor();

    JsonNode after =
        web(
            h ->
                h.path("restarts").asInt() > before.path("restarts").asInt()
                    && "running".equals(h.path("state").asText()));

    assertThat(after.path("restarts").asInt()).isGreaterThan(before.path("restarts").asInt());
    assertThat(after.path("pid").asLong()).isNotEqualTo(before.path("pid").asLong());
  }

  @Test
  @Order(4)
  void stopAndStart() throws Exception {
    assertThat(control("stop").path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(web(h -> "stopped".equals(h.path("state").asText())).path("state").asText())
        .isEqualTo("stopped");
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).isNull();

    assertThat(control("start").path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).startsWith("hello from");
  }

  @Test
  @Order(5)
  void aDisabledServiceCannotStartUntilEnabled() throws Exception {
    assertThat(control("disable").path("state").asText()).isEqualTo("SUCCEEDED");
    web(h -> !h.path("enabled").asBoolean());

    ApiClient.Reply refused = CAST.api().postJson(WEB + "/start", Map.of());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().path("detail").asText()).contains("disabled").contains("enable");

    assertThat(control("enable").path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).startsWith("hello from");
  }

  @Test
  @Order(6)
  void unknownNamesAre404WithTheName() throws Exception {
    ApiClient.Reply service = CAST.api().postJson("/v1/apps/hello/services/nope/restart", Map.of());
    assertThat(service.status()).isEqualTo(404);
    assertThat(service.body().path("detail").asText()).contains("nope");

    ApiClient.Reply app = CAST.api().postJson("/v1/apps/ghost/services/web/restart", Map.of());
    assertThat(app.status()).isEqualTo(404);
    assertThat(app.body().path("detail").asText()).contains("ghost");

    ApiClient.Reply host =
        CAST.api().postJson(WEB + "/restart", Map.of("hosts", List.of("elsewhere")));
    assertThat(host.status()).isEqualTo(404);
    assertThat(host.body().path("detail").asText()).contains("elsewhere");
  }

  @Test
  @Order(7)
  void logsTailAndFollowThroughTheApi() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + APP.getLocalPort() + WEB + "/logs";
    String tail =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "?tail=5"))
                    .header("Authorization", CAST.authorization())
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(tail).contains("listening on");
    assertThat(tail.lines().toList())
        .allSatisfy(
            line -> assertThat(line).matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}.*"));

    CastServerHarness.Following follow = CAST.follow(WEB + "/logs?tail=0&follow=true");
    BlockingQueue<String> lines = follow.lines();
    control("restart");

    String line;
    do {
      line = lines.poll(30, TimeUnit.SECONDS);
    } while (line != null && !line.contains("listening on"));
    assertThat(line).as("a line written after the follow began").contains("listening on");
    follow.close().run();
  }

  @Test
  @Order(8)
  void followKeepsEveryLineAcrossRotations() throws Exception {
    Path source = TempDirs.create("cast-chatty-");
    Files.writeString(
        source.resolve("cast.yml"),
        "name: chatty\nversion: 1.0.0\nservices:\n  talk:\n"
            + "    command: [\"sh\", \"-c\", \"i=0; while true; do i=$((i+1)); echo line $i;"
            + " sleep 0.005; done\"]\n");
    Path bundle = source.resolveSibling(source.getFileName() + ".tar.gz");
    BundlePacker.pack(source, bundle, null);
    assertThat(CAST.api().pushBundle("chatty", bundle).status()).isEqualTo(201);
    String id =
        CAST.api()
            .postJson("/v1/apps/chatty/deployments", Map.of("version", "1.0.0"))
            .body()
            .path("id")
            .asText();
    assertThat(CAST.api().awaitDeployment(id, Duration.ofMinutes(1)).path("state").asText())
        .isEqualTo("SUCCEEDED");
    // Logs are read from the hosts that report the service; the agent reports it just after the
    // deploy (asynchronously), so wait for that first.
    CAST.awaitReported("chatty", "talk");
    CastServerHarness.Following follow =
        CAST.follow("/v1/apps/chatty/services/talk/logs?tail=0&follow=true");
    BlockingQueue<String> lines = follow.lines();
    // A log file holds about 115 such lines (4 KiB); 500 followed lines span several rotations.
    // Each wait is generous: a loaded machine may be slow, never wrong.
    List<Long> numbers = new ArrayList<>();
    Pattern numbered = Pattern.compile("line (\\d+)$");
    String line;
    while (numbers.size() < 500 && (line = lines.poll(20, TimeUnit.SECONDS)) != null) {
      Matcher m = numbered.matcher(line);
      if (m.find()) {
        numbers.add(Long.parseLong(m.group(1)));
      }
    }
    Path logs = CAST.dataDir.resolve("agent/apps/chatty/logs");
    assertThat(logs.resolve("talk.log.2")).as("rotated at least twice").exists();
    assertThat(numbers).hasSize(500);
    for (int i = 1; i < numbers.size(); i++) {
      assertThat(numbers.get(i))
          .as("no line lost or repeated at " + i)
          .isEqualTo(numbers.get(i - 1) + 1);
    }
    follow.close().run();
  }
}
