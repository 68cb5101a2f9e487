package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Config rollouts end to end on one host, with the example app that serves its rendered settings
 * ({@code examples/settings}): a registry write rolled out restarts the service with the new value,
 * an unchanged config is left alone, a value that fails health is reverted with the old file back,
 * {@code on_change: signal:HUP} reloads without a restart, and a key gone from the registry fails
 * the rollout before anything changes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigRolloutTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;

  private static Path bundles;
  private static Path app;

  @BeforeAll
  static void packReleases() throws Exception {
    bundles = TempDirs.create("cast-config-rollouts-");
    Path source = bundles.resolve("settings");
    Files.createDirectories(source.resolve("config"));
    Path example = Path.of("../examples/settings");
    Files.copy(example.resolve("Settings.java"), source.resolve("Settings.java"));
    Files.copy(example.resolve("cast.yml"), source.resolve("cast.yml"));
    Path template = source.resolve("config/app.properties.tmpl");
    String plain = Files.readString(example.resolve("config/app.properties.tmpl"));
    Files.writeString(template, plain);
    Main.Bundles.pack(source, null, "1.0.0", bundles.resolve("v1.tar.gz"));
    String manifest = Files.readString(source.resolve("cast.yml"));
    Files.writeString(
        source.resolve("cast.yml"),
        manifest.replace("on_change: rollout", "on_change: signal:HUP"));
    Main.Bundles.pack(source, null, "2.0.0", bundles.resolve("v2.tar.gz"));
    Files.writeString(template, plain + "required={{key \"config/settings/required\"}}\n");
    Main.Bundles.pack(source, null, "3.0.0", bundles.resolve("v3.tar.gz"));
    app = CAST.dataDir.resolve("agent/apps/settings");
    CAST.awaitHost();
    for (String v : List.of("v1", "v2", "v3")) {
      assertThat(CAST.api().pushBundle("settings", bundles.resolve(v + ".tar.gz")).status())
          .isEqualTo(201);
    }
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  private static JsonNode deploy(String version) throws Exception {
    ApiClient.Reply started =
        CAST.api().postJson("/v1/apps/settings/deployments", Map.of("version", version));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode done =
        CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    return done;
  }

  private static JsonNode configRollout(Map<String, Object> body) throws Exception {
    ApiClient.Reply started = CAST.api().postJson("/v1/apps/settings/config-rollouts", body);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    assertThat(started.location())
        .endsWith("/v1/deployments/" + started.body().path("id").asText());
    assertThat(started.body().path("kind").asText()).isEqualTo("config");
    return CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
  }

  private static long servicePid() throws Exception {
    return new ObjectMapper().readTree(app.resolve("run/web.json").toFile()).path("pid").asLong();
  }

  private static String served() throws Exception {
    return CAST.fetch(CAST.instanceUrl("settings"));
  }

  private static String hostState(JsonNode deployment) {
    return deployment.path("hosts").get(0).path("state").asText();
  }

  @Test
  @Order(1)
  void anUnchangedConfigLeavesTheHostAlone() throws Exception {
    deploy("1.0.0");
    long pid = servicePid();
    assertThat(served()).contains("greeting=hello\n");

    JsonNode done = configRollout(Map.of());

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(hostState(done)).as(done.toString()).isEqualTo("unchanged");
    assertThat(servicePid()).isEqualTo(pid);
  }

  @Test
  @Order(2)
  void aRegistryWriteRolledOutRestartsTheServiceWithTheNewValue() throws Exception {
    long pid = servicePid();
    CAST.putKey("config/settings/greeting", "Bonjour");
    long index =
        CAST.api()
            .get("/v1/kv/config/settings/greeting")
            .body()
            .get(0)
            .path("ModifyIndex")
            .asLong();

    JsonNode done = configRollout(Map.of("reason", "new greeting"));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(hostState(done)).as(done.toString()).isEqualTo("healthy");
    assertThat(done.path("configIndex").asLong()).as(done.toString()).isGreaterThanOrEqualTo(index);
    assertThat(app.resolve("releases/1.0.0/config/app.properties"))
        .content()
        .startsWith("greeting=Bonjour\n");
    assertThat(served()).contains("greeting=Bonjour\n");
    assertThat(servicePid()).as("on_change: rollout restarts the service").isNotEqualTo(pid);
    JsonNode config =
        CAST.api().get("/v1/deployments/" + done.path("id").asText() + "/config").body();
    assertThat(config.path("hosts").get(0).path("files").get(0).path("content").asText())
        .startsWith("greeting=Bonjour\n");
    assertThat(Files.readSymbolicLink(app.resolve("current")).toString()).endsWith("1.0.0");
  }

  @Test
  @Order(3)
  void aValueThatFailsHealthIsRevertedWithTheOldFileBack() throws Exception {
    CAST.putKey("config/settings/mode", "broken");

    JsonNode done = configRollout(Map.of("healthyDeadline", "4s"));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("cause").asText()).as(done.toString()).contains("SERVICE_UNHEALTHY");
    assertThat(hostState(done)).isEqualTo("reverted");
    assertThat(app.resolve("releases/1.0.0/config/app.properties"))
        .content()
        .contains("mode=normal\n");
    assertThat(served()).contains("mode=normal\n").contains("greeting=Bonjour\n");
    JsonNode health = CAST.api().get("/v1/apps/settings/instances").body().get(0);
    assertThat(health.toString()).contains("1.0.0");
  }

  @Test
  @Order(4)
  void signalHupReloadsTheServiceWithoutARestart() throws Exception {
    CAST.putKey("config/settings/mode", "normal");
    deploy("2.0.0");
    long pid = servicePid();
    String servedPid = served().lines().filter(l -> l.startsWith("pid=")).findFirst().orElseThrow();
    CAST.putKey("config/settings/greeting", "Hallo");

    JsonNode done = configRollout(Map.of());

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(hostState(done)).isEqualTo("healthy");
    assertThat(servicePid()).as("signal:HUP restarts nothing").isEqualTo(pid);
    assertThat(served()).contains("greeting=Hallo\n").contains(servedPid + "\n");
  }

  @Test
  @Order(5)
  void aKeyGoneFromTheRegistryFailsTheRolloutBeforeAnythingChanges() throws Exception {
    CAST.putKey("config/settings/required", "yes");
    deploy("3.0.0");
    long pid = servicePid();
    Path file = app.resolve("releases/3.0.0/config/app.properties");
    String before = Files.readString(file);
    assertThat(CAST.api().delete("/v1/kv/config/settings/required").status()).isEqualTo(200);
    CAST.putKey("config/settings/greeting", "Ciao");

    JsonNode done = configRollout(Map.of());

    assertThat(done.path("state").asText()).as(done.toString()).isIn("ROLLED_BACK", "FAILED");
    assertThat(done.path("cause").asText())
        .contains("CONFIG_TEMPLATE_FAILED")
        .contains("config/settings/required");
    assertThat(file).hasContent(before);
    assertThat(servicePid()).isEqualTo(pid);
    assertThat(served()).contains("greeting=Hallo\n");
  }

  @Test
  @Order(6)
  void aConfigRolloutIsRefusedWhileADeployOfTheAppRuns() throws Exception {
    CAST.putKey("config/settings/required", "yes");
    ApiClient.Reply deploy =
        CAST.api().postJson("/v1/apps/settings/deployments", Map.of("version", "1.0.0"));
    assertThat(deploy.status()).isEqualTo(202);

    ApiClient.Reply refused = CAST.api().postJson("/v1/apps/settings/config-rollouts", Map.of());

    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(409);
    assertThat(refused.body().path("type").asText()).endsWith("DEPLOYMENT_IN_PROGRESS");
    JsonNode done =
        CAST.api().awaitDeployment(deploy.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
  }

  @Test
  @Order(7)
  void badRequestsAreRefusedWithTheirReason() throws Exception {
    ApiClient.Reply unknown = CAST.api().postJson("/v1/apps/nosuch/config-rollouts", Map.of());
    assertThat(unknown.status()).isEqualTo(404);
    ApiClient.Reply notThere =
        CAST.api()
            .postJson("/v1/apps/settings/config-rollouts", Map.of("hosts", List.of("elsewhere")));
    assertThat(notThere.status()).as(notThere.body().toString()).isIn(400, 409);
    assertThat(notThere.body().path("detail").asText()).contains("elsewhere");
    ApiClient.Reply badStrategy =
        CAST.api()
            .postJson(
                "/v1/apps/settings/config-rollouts", Map.of("strategy", Map.of("canary", -1)));
    assertThat(badStrategy.status()).as(badStrategy.body().toString()).isEqualTo(400);
  }

  @Test
  @Order(8)
  void aRollbackAskedToRerenderRendersTheReleaseWithTodaysValues() throws Exception {
    // 3.0.0 was rendered with greeting=Hallo; the registry says Ciao since.
    assertThat(app.resolve("releases/3.0.0/config/app.properties"))
        .content()
        .startsWith("greeting=Hallo\n");

    ApiClient.Reply started =
        CAST.api()
            .postJson("/v1/apps/settings/rollback", Map.of("version", "3.0.0", "rerender", true));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode done =
        CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readSymbolicLink(app.resolve("current")).toString()).endsWith("3.0.0");
    assertThat(app.resolve("releases/3.0.0/config/app.properties"))
        .content()
        .startsWith("greeting=Ciao\n");
    assertThat(served()).contains("greeting=Ciao\n");
  }

  private static List<JsonNode> configRollouts() throws Exception {
    List<JsonNode> found = new java.util.ArrayList<>();
    for (JsonNode d : CAST.api().get("/v1/apps/settings/deployments").body()) {
      if (d.path("kind").asText().equals("config")) {
        found.add(d);
      }
    }
    return found;
  }

  private static ApiClient.Reply putWatch(String json) throws Exception {
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(CAST.baseUrl() + "/v1/apps/settings/config-watch"))
                    .header("Authorization", CAST.authorization())
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new ApiClient.Reply(put.statusCode(), new ObjectMapper().readTree(put.body()), null);
  }

  @Test
  @Order(9)
  void aWatchedAppRollsOutOnceForABurstOfWritesAndNotForKeysItDoesNotRead() throws Exception {
    assertThat(putWatch("{\"wait\": {\"min\": \"3s\"}}").status()).isEqualTo(400);
    ApiClient.Reply shorter =
        putWatch("{\"enabled\": true, \"wait\": {\"min\": \"5s\", \"max\": \"1s\"}}");
    assertThat(shorter.status()).isEqualTo(400);
    assertThat(shorter.body().path("detail").asText()).contains("wait.max");
    ApiClient.Reply on =
        putWatch("{\"enabled\": true, \"wait\": {\"min\": \"3s\", \"max\": \"60s\"}}");
    assertThat(on.status()).as(on.body().toString()).isEqualTo(200);
    assertThat(on.body().path("enabled").asBoolean()).isTrue();
    assertThat(on.body().path("wait").path("min").asText()).isEqualTo("3s");
    assertThat(on.body().path("reads").path("keys").toString())
        .contains("config/settings/greeting");
    int before = configRollouts().size();

    java.time.Instant lastWrite = null;
    for (String greeting : List.of("One", "Two", "Three")) {
      CAST.putKey("config/settings/greeting", greeting);
      lastWrite = java.time.Instant.now();
      Thread.sleep(300);
    }

    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!String.valueOf(served()).contains("greeting=Three\n") && System.nanoTime() < end) {
      Thread.sleep(200);
    }
    assertThat(served()).contains("greeting=Three\n");
    Thread.sleep(4_000); // longer than wait.min: a second rollout would have started by now
    List<JsonNode> rollouts = configRollouts();
    assertThat(rollouts).as(rollouts.toString()).hasSize(before + 1);
    JsonNode started = rollouts.get(0);
    assertThat(started.path("requestedBy").asText()).isEqualTo("config-watch");
    assertThat(java.time.Instant.parse(started.path("startedAt").asText()))
        .as("the rollout waits for the burst to end")
        .isAfter(lastWrite);
    assertThat(started.path("reason").asText()).contains("config/settings/greeting");

    CAST.putKey("config/unrelated/key", "x");
    Thread.sleep(4_000);
    assertThat(configRollouts()).as("a key the templates do not read").hasSize(before + 1);
    assertThat(putWatch("{\"enabled\": false}").body().path("enabled").asBoolean()).isFalse();
  }

  @Test
  @Order(10)
  void aWatchTurnedOnCatchesUpWithWritesMadeWhileNothingWatched() throws Exception {
    CAST.putKey("config/settings/greeting", "Four"); // the watch is off (test 9 turned it off)
    Thread.sleep(3_000);
    assertThat(served()).contains("greeting=Three\n");
    int before = configRollouts().size();

    ApiClient.Reply on =
        putWatch("{\"enabled\": true, \"wait\": {\"min\": \"1s\", \"max\": \"5s\"}}");
    assertThat(on.status()).as(on.body().toString()).isEqualTo(200);

    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!String.valueOf(served()).contains("greeting=Four\n") && System.nanoTime() < end) {
      Thread.sleep(200);
    }
    assertThat(served()).contains("greeting=Four\n");
    assertThat(configRollouts()).hasSize(before + 1);
    putWatch("{\"enabled\": false}");
  }

  @Test
  @Order(11)
  void aFileInASharedPathIsTheAppsAndEachReleasePutsItsOwnBack() throws Exception {
    Path source = bundles.resolve("shared-settings");
    Files.createDirectories(source.resolve("config"));
    Files.copy(Path.of("../examples/settings/Settings.java"), source.resolve("Settings.java"));
    Files.writeString(
        source.resolve("config/state.tmpl"), "state={{key \"config/settings/state\"}}\n");
    Files.writeString(
        source.resolve("config/app.properties.tmpl"), "greeting=shared\nmode=normal\n");
    String manifest =
        Files.readString(Path.of("../examples/settings/cast.yml"))
            + "  - {src: config/state.tmpl, dest: state/app.conf, on_change: none}\n"
            + "shared: [state]\n";
    Files.writeString(source.resolve("cast.yml"), manifest);
    Main.Bundles.pack(source, null, "5.0.0", bundles.resolve("v5.tar.gz"));
    Main.Bundles.pack(source, null, "6.0.0", bundles.resolve("v6.tar.gz"));
    for (String v : List.of("v5", "v6")) {
      assertThat(CAST.api().pushBundle("settings", bundles.resolve(v + ".tar.gz")).status())
          .isEqualTo(201);
    }
    Path shared = app.resolve("shared/state/app.conf");

    CAST.putKey("config/settings/state", "five");
    deploy("5.0.0");
    assertThat(shared).hasContent("state=five\n");
    assertThat(app.resolve("releases/5.0.0/state/app.conf")).hasContent("state=five\n");

    CAST.putKey("config/settings/state", "five-b");
    JsonNode rollout = configRollout(Map.of());
    assertThat(rollout.path("state").asText()).as(rollout.toString()).isEqualTo("SUCCEEDED");
    assertThat(shared).hasContent("state=five-b\n");

    CAST.putKey("config/settings/state", "six");
    deploy("6.0.0");
    assertThat(shared).hasContent("state=six\n");

    ApiClient.Reply back =
        CAST.api().postJson("/v1/apps/settings/rollback", Map.of("version", "5.0.0"));
    assertThat(back.status()).as(back.body().toString()).isEqualTo(202);
    JsonNode done =
        CAST.api().awaitDeployment(back.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(shared)
        .as("5.0.0's own shared file, as its last rollout left it")
        .hasContent("state=five-b\n");
  }
}
