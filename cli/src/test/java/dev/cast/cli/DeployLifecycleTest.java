package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The foundation end to end, through HTTP: push v1 and deploy it, upgrade to v2, a broken v3 rolled
 * back while v2 keeps serving, and a rollback to v1 on request. Real processes, real files, the
 * embedded Temporal server.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployLifecycleTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static Path bundles;

  @BeforeAll
  static void packExampleReleases() throws Exception {
    bundles = TempDirs.create("cast-bundles-");
    Main.Bundles.pack(EXAMPLE, null, "1.0.0", bundles.resolve("v1.tar.gz"));
    Main.Bundles.pack(EXAMPLE, null, "2.0.0", bundles.resolve("v2.tar.gz"));
    Main.Bundles.pack(
        EXAMPLE, EXAMPLE.resolve("broken.yml"), "3.0.0", bundles.resolve("v3.tar.gz"));
    CAST.awaitHost();
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  private JsonNode deploy(String version, Map<String, Object> extra) throws Exception {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("version", version);
    ApiClient.Reply started = CAST.api().postJson("/v1/apps/hello/deployments", body);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    assertThat(started.location())
        .endsWith("/v1/deployments/" + started.body().path("id").asText());
    return CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
  }

  @Test
  @Order(1)
  void pushAndDeployTheFirstRelease() throws Exception {
    ApiClient.Reply pushed = CAST.api().pushBundle("hello", bundles.resolve("v1.tar.gz"));
    assertThat(pushed.status()).isEqualTo(201);
    assertThat(pushed.body().path("version").asText()).isEqualTo("1.0.0");
    assertThat(pushed.body().path("sha256").asText()).hasSize(64);
    assertThat(CAST.api().pushBundle("hello", bundles.resolve("v1.tar.gz")).status())
        .as("the same bytes again")
        .isEqualTo(200);

    JsonNode done = deploy("1.0.0", Map.of());

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.path("hosts").get(0).path("state").asText()).isEqualTo("healthy");
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).startsWith("hello from version 1.0.0");
    Path agent = CAST.dataDir.resolve("agent/apps/hello");
    assertThat(Files.readSymbolicLink(agent.resolve("current")).toString()).endsWith("1.0.0");
    assertThat(agent.resolve("logs/web.log")).exists();
  }

  @Test
  @Order(2)
  void upgradeToTheSecondRelease() throws Exception {
    assertThat(CAST.api().pushBundle("hello", bundles.resolve("v2.tar.gz")).status())
        .isEqualTo(201);

    JsonNode done = deploy("2.0.0", Map.of("reason", "upgrade"));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.path("reason").asText()).isEqualTo("upgrade");
    // The host reported its services before its switch ended: no waiting for the catalog.
    JsonNode instance = CAST.api().get("/v1/apps/hello/instances").body().get(0);
    assertThat(instance.path("version").asText()).as(instance.toString()).isEqualTo("2.0.0");
    assertThat(instance.path("health").asText()).as(instance.toString()).isEqualTo("passing");
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).startsWith("hello from version 2.0.0");
    JsonNode app = CAST.api().get("/v1/apps/hello").body();
    assertThat(app.path("current").get(0).path("version").asText()).isEqualTo("2.0.0");
    assertThat(app.path("current").get(0).path("previousVersion").asText()).isEqualTo("1.0.0");
  }

  @Test
  @Order(3)
  void aBrokenReleaseIsRolledBackWhileTheOldOneKeepsServing() throws Exception {
    String url = CAST.instanceUrl("hello");
    assertThat(CAST.api().pushBundle("hello", bundles.resolve("v3.tar.gz")).status())
        .isEqualTo(201);
    AtomicBoolean watching = new AtomicBoolean(true);
    AtomicLong longestOutage = new AtomicLong();
    Thread watcher = new Thread(() -> watch(url, watching, longestOutage));
    watcher.start();

    JsonNode done = deploy("3.0.0", Map.of("healthyDeadline", "3s"));
    String after = CAST.fetch(url);
    watching.set(false);
    watcher.join();

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("cause").asText()).contains("SERVICE_UNHEALTHY").contains("/not-ready");
    assertThat(done.path("hosts").get(0).path("state").asText()).isEqualTo("reverted");
    assertThat(after).startsWith("hello from version 2.0.0");
    // Down only for the switch: stop, start v3, its 3 s health deadline, start v2 again.
    assertThat(longestOutage.get()).isLessThan(Duration.ofSeconds(20).toMillis());
    assertThat(CAST.dataDir.resolve("agent/apps/hello/releases/3.0.0"))
        .as("the failed release is kept for inspection")
        .isDirectory();
    assertThat(CAST.api().get("/v1/apps/hello/instances").body().get(0).path("version").asText())
        .isEqualTo("2.0.0");
  }

  @Test
  @Order(4)
  void rollBackToTheFirstReleaseOnRequest() throws Exception {
    ApiClient.Reply started =
        CAST.api().postJson("/v1/apps/hello/rollback", Map.of("version", "1.0.0"));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);

    JsonNode done =
        CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.path("kind").asText()).isEqualTo("rollback");
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).startsWith("hello from version 1.0.0");
    JsonNode history = CAST.api().get("/v1/apps/hello/deployments").body();
    assertThat(history.size()).isEqualTo(4);
    assertThat(history.get(0).path("kind").asText()).as("newest first").isEqualTo("rollback");
  }

  @Test
  @Order(5)
  void aSecondConcurrentDeployIsRefused() throws Exception {
    ApiClient.Reply first =
        CAST.api().postJson("/v1/apps/hello/deployments", Map.of("version", "2.0.0"));
    ApiClient.Reply second =
        CAST.api().postJson("/v1/apps/hello/deployments", Map.of("version", "2.0.0"));

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.body().path("detail").asText()).contains("already running");
    CAST.api().awaitDeployment(first.body().path("id").asText(), Duration.ofMinutes(2));
  }

  @Test
  @Order(6)
  void aReleaseThatCrashLoopsAfterPassingItsChecksIsReverted() throws Exception {
    Path manifest = bundles.resolve("crashy.yml");
    // Healthy for about 4 s, then exits 1 on every start: the supervisor's crash loop.
    Files.writeString(
        manifest,
        Files.readString(EXAMPLE.resolve("cast.yml"))
            .replace(
                "command: [\"java\",",
                "command: [\"sh\", \"-c\", \"timeout 4 java -Xshare:auto"
                    + " -XX:TieredStopAtLevel=1 Hello.java; exit 1\"]\n    #"));
    Main.Bundles.pack(EXAMPLE, manifest, "4.0.0", bundles.resolve("v4.tar.gz"));
    assertThat(CAST.api().pushBundle("hello", bundles.resolve("v4.tar.gz")).status())
        .isEqualTo(201);

    JsonNode done = deploy("4.0.0", Map.of("strategy", Map.of("minHealthyTime", "10s")));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("cause").asText()).contains("SERVICE_");
    String url = CAST.instanceUrl("hello");
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String answer = CAST.fetch(url);
    while (answer == null && System.nanoTime() < end) {
      Thread.sleep(200);
      answer = CAST.fetch(url);
    }
    assertThat(answer)
        .as(
            "2.0.0 serves again; the service: "
                + CAST.api().get("/v1/apps/hello/services/web").body())
        .startsWith("hello from version 2.0.0");
    JsonNode app = CAST.api().get("/v1/apps/hello").body().path("current").get(0);
    assertThat(app.path("version").asText()).isEqualTo("2.0.0");
    assertThat(app.path("previousVersion").asText())
        .as("the crash-looping release is not a rollback target")
        .isNotEqualTo("4.0.0");
  }

  private void watch(String url, AtomicBoolean watching, AtomicLong longestOutage) {
    long downSince = 0;
    while (watching.get()) {
      long now = System.currentTimeMillis();
      if (CAST.fetch(url) == null) {
        downSince = downSince == 0 ? now : downSince;
        longestOutage.accumulateAndGet(now - downSince, Math::max);
      } else {
        downSince = 0;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
