package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.testkit.Fleet;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Config rollouts on two hosts of a fleet, each with an agent of its own: {@code web} (the settings
 * example) renders the address of {@code db}'s healthy instance into its config, so when {@code db}
 * moves from one host to the other a config rollout points both {@code web}s at the new one; a
 * value that fails health on the canary is reverted there and never reaches the other host.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigRolloutFleetTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(4);
  private static final String DB_LINE =
      "db={{#each (service \"db-main\")}}{{address}}:{{port}}{{/each}}\n";

  private static Fleet fleet;
  private static Fleet.Host hostA;
  private static Fleet.Host hostB;

  @BeforeAll
  static void startFleetAndPushApps() throws Exception {
    CAST.awaitHost();
    fleet = CAST.fleet();
    hostA = fleet.add("cfg-a", Map.of("role", "cfg"));
    hostB = fleet.add("cfg-b", Map.of("role", "cfg"));
    fleet.awaitRegistered(hostA);
    fleet.awaitRegistered(hostB);

    Path bundles = TempDirs.create("cast-config-fleet-");
    // db: the hello example as app "db" with one service "main", whose first port is "http".
    Path hello = Path.of("../examples/hello");
    Path dbManifest = bundles.resolve("db.yml");
    Files.writeString(
        dbManifest,
        Files.readString(hello.resolve("cast.yml"))
            .replace("name: hello", "name: db")
            .replace("  web:", "  main:"));
    Main.Bundles.pack(hello, dbManifest, "1.0.0", bundles.resolve("db-1.0.0.tar.gz"));
    ApiClient.Reply db = CAST.api().pushBundle("db", bundles.resolve("db-1.0.0.tar.gz"));
    assertThat(db.status()).as(db.body().toString()).isEqualTo(201);

    // web: the settings example as app "web", whose config also names db's healthy instances.
    Path settings = Path.of("../examples/settings");
    Path web = bundles.resolve("web");
    Files.createDirectories(web.resolve("config"));
    Files.copy(settings.resolve("Settings.java"), web.resolve("Settings.java"));
    Files.writeString(
        web.resolve("cast.yml"),
        Files.readString(settings.resolve("cast.yml")).replace("name: settings", "name: web"));
    Files.writeString(
        web.resolve("config/app.properties.tmpl"),
        Files.readString(settings.resolve("config/app.properties.tmpl")) + DB_LINE);
    Main.Bundles.pack(web, null, "1.0.0", bundles.resolve("web-1.0.0.tar.gz"));
    ApiClient.Reply pushed = CAST.api().pushBundle("web", bundles.resolve("web-1.0.0.tar.gz"));
    assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(201);
  }

  @AfterAll
  static void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    CAST.killServices();
  }

  @Test
  @Order(1)
  void aConfigRolloutPointsEveryWebAtTheHostDbMovedTo() throws Exception {
    deploy("db", Map.of("version", "1.0.0", "hosts", List.of(hostA.name())));
    String dbOnA = awaitOnlyHealthyDb(hostA);
    assertThat(dbOnA).startsWith(hostA.address() + ":");
    deploy(
        "web",
        Map.of(
            "version",
            "1.0.0",
            "hosts",
            List.of(hostA.name(), hostB.name()),
            "strategy",
            Map.of("maxParallel", 2)));
    assertThat(served(hostA)).contains("db=" + dbOnA + "\n");
    assertThat(served(hostB)).contains("db=" + dbOnA + "\n");

    // db moves: deployed to B, stopped on A, so the catalog's only healthy instance is B's.
    deploy("db", Map.of("version", "1.0.0", "hosts", List.of(hostB.name())));
    ApiClient.Reply stop =
        CAST.api()
            .postJson("/v1/apps/db/services/main/stop", Map.of("hosts", List.of(hostA.name())));
    assertThat(stop.status()).as(stop.body().toString()).isEqualTo(202);
    JsonNode stopped = CAST.api().awaitDeployment(stop.body().path("id").asText(), DEPLOY_TIMEOUT);
    assertThat(stopped.path("state").asText()).as(stopped.toString()).isEqualTo("SUCCEEDED");
    String dbOnB = awaitOnlyHealthyDb(hostB);
    assertThat(dbOnB).startsWith(hostB.address() + ":").isNotEqualTo(dbOnA);
    long pidA = servicePid(hostA);
    long pidB = servicePid(hostB);

    JsonNode done = configRollout(Map.of("reason", "db moved to " + hostB.name()));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(CastServerHarness.hostStates(done))
        .as(done.toString())
        .containsEntry(hostA.name(), "healthy")
        .containsEntry(hostB.name(), "healthy");
    for (Fleet.Host host : List.of(hostA, hostB)) {
      assertThat(configFile(host)).content().contains("db=" + dbOnB + "\n");
      assertThat(served(host)).as(host.name()).contains("db=" + dbOnB + "\n");
    }
    assertThat(servicePid(hostA)).as("on_change: rollout restarts web on A").isNotEqualTo(pidA);
    assertThat(servicePid(hostB)).as("on_change: rollout restarts web on B").isNotEqualTo(pidB);
    JsonNode config =
        CAST.api().get("/v1/deployments/" + done.path("id").asText() + "/config").body();
    Map<String, String> contents = new LinkedHashMap<>();
    for (JsonNode host : config.path("hosts")) {
      contents.put(host.path("host").asText(), host.path("files").get(0).path("content").asText());
    }
    assertThat(contents).as(config.toString()).containsOnlyKeys(hostA.name(), hostB.name());
    assertThat(contents.values()).allSatisfy(c -> assertThat(c).contains("db=" + dbOnB + "\n"));
  }

  @Test
  @Order(2)
  void aValueFailingHealthOnTheCanaryIsRevertedThereAndNeverReachesTheOtherHost() throws Exception {
    Map<String, Long> pids = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    for (Fleet.Host host : List.of(hostA, hostB)) {
      pids.put(host.name(), servicePid(host));
      files.put(host.name(), Files.readString(configFile(host)));
      assertThat(files.get(host.name())).contains("mode=normal\n");
    }
    CAST.putKey("config/settings/mode", "broken");

    JsonNode done = configRollout(Map.of("strategy", Map.of("canary", 1), "healthyDeadline", "5s"));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("cause").asText()).as(done.toString()).contains("SERVICE_UNHEALTHY");
    Map<String, String> states = CastServerHarness.hostStates(done);
    List<String> reverted =
        states.entrySet().stream()
            .filter(e -> e.getValue().equals("reverted"))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(reverted).as(done.toString()).hasSize(1);
    Fleet.Host canary = reverted.get(0).equals(hostA.name()) ? hostA : hostB;
    Fleet.Host other = canary == hostA ? hostB : hostA;
    // Rendered (its config changed too) but never applied: the canary failed first.
    assertThat(states.get(other.name())).as(done.toString()).isEqualTo("staged");

    assertThat(configFile(canary)).hasContent(files.get(canary.name()));
    assertThat(served(canary)).contains("mode=normal\n");
    assertThat(servicePid(canary))
        .as("the canary was restarted with the broken value, then with the old one")
        .isNotEqualTo(pids.get(canary.name()));

    assertThat(configFile(other)).hasContent(files.get(other.name()));
    assertThat(servicePid(other)).as("the other host's web").isEqualTo(pids.get(other.name()));
    assertThat(served(other)).contains("mode=normal\n");
  }

  @Test
  @Order(3)
  void aManualCanaryWaitsForPromoteAndThenTheOtherHostFollows() throws Exception {
    CAST.putKey("config/settings/mode", "normal");
    CAST.putKey("config/settings/greeting", "canaried");
    ApiClient.Reply started =
        CAST.api()
            .postJson(
                "/v1/apps/web/config-rollouts",
                Map.of("strategy", Map.of("canary", 1, "promote", "manual")));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String id = started.body().path("id").asText();

    long end = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
    JsonNode now = CAST.api().get("/v1/deployments/" + id).body();
    while (!"awaiting promote".equals(now.path("phase").asText()) && System.nanoTime() < end) {
      Thread.sleep(200);
      now = CAST.api().get("/v1/deployments/" + id).body();
    }
    assertThat(now.path("phase").asText()).as(now.toString()).isEqualTo("awaiting promote");
    Map<String, String> waiting = CastServerHarness.hostStates(now);
    assertThat(waiting.values()).as(now.toString()).containsExactlyInAnyOrder("healthy", "staged");
    Fleet.Host canary = waiting.get(hostA.name()).equals("healthy") ? hostA : hostB;
    Fleet.Host other = canary == hostA ? hostB : hostA;
    assertThat(served(canary)).contains("greeting=canaried\n");
    assertThat(served(other)).doesNotContain("greeting=canaried");

    assertThat(CAST.api().postJson("/v1/deployments/" + id + "/promote", Map.of()).status())
        .isEqualTo(202);
    JsonNode done = CAST.api().awaitDeployment(id, DEPLOY_TIMEOUT);

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(served(other)).contains("greeting=canaried\n");
  }

  // --- helpers

  /** Deploys {@code app} as {@code body} says; fails unless the deploy succeeds. */
  private static void deploy(String app, Map<String, Object> body) throws Exception {
    ApiClient.Reply started = CAST.api().postJson("/v1/apps/" + app + "/deployments", body);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode done = CAST.api().awaitDeployment(started.body().path("id").asText(), DEPLOY_TIMEOUT);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
  }

  private static JsonNode configRollout(Map<String, Object> body) throws Exception {
    ApiClient.Reply started = CAST.api().postJson("/v1/apps/web/config-rollouts", body);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    assertThat(started.location())
        .endsWith("/v1/deployments/" + started.body().path("id").asText());
    assertThat(started.body().path("kind").asText()).isEqualTo("config");
    return CAST.api().awaitDeployment(started.body().path("id").asText(), DEPLOY_TIMEOUT);
  }

  /**
   * Waits until the catalog's only healthy instance of db-main is {@code host}'s: its {@code
   * address:port}.
   */
  private static String awaitOnlyHealthyDb(Fleet.Host host) throws Exception {
    Predicate<JsonNode> onlyOnHost =
        b -> b.size() == 1 && host.name().equals(b.get(0).path("Node").path("Node").asText());
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    JsonNode healthy = CAST.api().get("/v1/health/service/db-main?passing").body();
    while (!onlyOnHost.test(healthy) && System.nanoTime() < end) {
      Thread.sleep(200);
      healthy = CAST.api().get("/v1/health/service/db-main?passing").body();
    }
    assertThat(healthy).as(healthy.toString()).hasSize(1);
    assertThat(healthy.get(0).path("Node").path("Node").asText()).isEqualTo(host.name());
    JsonNode service = healthy.get(0).path("Service");
    assertThat(service.path("Port").asInt()).isPositive();
    return service.path("Address").asText() + ":" + service.path("Port").asInt();
  }

  /** What web on {@code host} answers, asked at the address and port the api lists for it. */
  private static String served(Fleet.Host host) throws Exception {
    for (JsonNode instance : CAST.api().get("/v1/apps/web/instances").body()) {
      if (instance.path("host").asText().equals(host.name())) {
        String url =
            "http://"
                + instance.path("address").asText()
                + ":"
                + instance.path("port").asInt()
                + "/";
        String answer = CAST.fetch(url);
        assertThat(answer).as("web on " + host.name() + " at " + url).isNotNull();
        return answer;
      }
    }
    throw new AssertionError("no instance of web on " + host.name());
  }

  private static Path configFile(Fleet.Host host) {
    return host.dataDir().resolve("apps/web/releases/1.0.0/config/app.properties");
  }

  private static long servicePid(Fleet.Host host) throws Exception {
    Path run = host.dataDir().resolve("apps/web/run/web.json");
    return new ObjectMapper().readTree(run.toFile()).path("pid").asLong();
  }
}
