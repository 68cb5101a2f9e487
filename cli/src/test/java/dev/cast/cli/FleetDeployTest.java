package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.Fleet;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

/**
 * Fleet deploys on four hosts, each an agent process of its own (in its own network namespace where
 * this machine allows): rolling batches, a canary with a manual promote, a failure on the third
 * host reverting all, pause and resume, cancel, a concurrent deploy refused, an agent killed during
 * its activation, and an agent that never comes back. Each test leaves the fleet on a known release
 * for the next.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetDeployTest {
  private static final CastServerHarness CAST =
      new CastServerHarness(
          ConfigOverride.config("deploy.unreachableAfter", "6s"),
          ConfigOverride.config("deploy.healthyDeadline", "30s"),
          // The api's uplink is the narrow part, as on a real network: hosts must feed each other.
          ConfigOverride.config("bundles.uploadRate", "2MiB"),
          ConfigOverride.config("bundles.maxSize", "64MiB"));
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static final List<String> HOSTS = List.of("fleet-1", "fleet-2", "fleet-3", "fleet-4");
  private static final Map<String, Fleet.Host> hosts = new LinkedHashMap<>();
  private static Fleet fleet;
  private static Path sources;

  /** The release every host serves between tests. */
  private static String serving;

  @BeforeAll
  static void startFleet() throws Exception {
    CAST.awaitHost();
    sources = TempDirs.create("cast-fleet-bundles-");
    fleet = CAST.fleet();
    for (String name : HOSTS) {
      hosts.put(name, fleet.add(name, Map.of("role", "fleet")));
    }
    for (Fleet.Host host : hosts.values()) {
      fleet.awaitRegistered(host);
    }
    push("1.0.0", manifest(""));
    JsonNode first = deploy(Map.of("version", "1.0.0", "strategy", Map.of("maxParallel", 4)));
    assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
    serving = "1.0.0";
    assertEveryHostServes("1.0.0");
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
  void rollsOutInBatchesOfMaxParallel() throws Exception {
    push("2.0.0", manifest(""));

    JsonNode done = deploy(Map.of("version", "2.0.0", "strategy", Map.of("maxParallel", 2)));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.path("batches").asInt()).isEqualTo(2);
    assertThat(done.path("hosts").findValuesAsText("state")).containsOnly("healthy");
    serving = "2.0.0";
    assertEveryHostServes("2.0.0");
  }

  @Test
  @Order(2)
  void aCanaryWaitsForItsPromoteAndASecondDeployIsRefused() throws Exception {
    push("3.0.0", manifest(""));
    String id =
        start(
            Map.of(
                "version",
                "3.0.0",
                "strategy",
                Map.of("canary", 1, "promote", "manual", "maxParallel", 3)));
    JsonNode waiting = awaitView(id, v -> "awaiting promote".equals(v.path("phase").asText()));
    assertThat(waiting.path("phase").asText()).as(waiting.toString()).isEqualTo("awaiting promote");
    assertThat(versions()).containsEntry("fleet-1", "3.0.0");
    assertThat(versions().values()).containsOnly("3.0.0", "2.0.0").contains("2.0.0");

    ApiClient.Reply second =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments",
                Map.of("version", "2.0.0", "selector", Map.of("role", "fleet")));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.body().path("detail").asText()).contains("already running", id);

    assertThat(CAST.api().postJson("/v1/deployments/" + id + "/promote", Map.of()).status())
        .isEqualTo(202);
    JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    serving = "3.0.0";
    assertEveryHostServes("3.0.0");
  }

  @Test
  @Order(3)
  void aReleaseFailingHealthOnItsThirdHostIsRevertedEverywhere() throws Exception {
    // Healthy everywhere but on fleet-3, which comes third in a one-at-a-time rollout.
    push(
        "4.0.0",
        manifest("")
            .replace(
                "http: {port: http, path: /health}",
                "command: [\"sh\", \"-c\"," + " \"test \\\"$CAST_HOST\\\" != fleet-3\"]"));

    JsonNode done =
        deploy(
            Map.of(
                "version",
                "4.0.0",
                "strategy",
                Map.of("maxParallel", 1, "healthyDeadline", "10s")));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("cause").asText()).contains("host fleet-3");
    Map<String, String> states = CastServerHarness.hostStates(done);
    assertThat(states).containsEntry("fleet-1", "reverted").containsEntry("fleet-2", "reverted");
    assertThat(states.get("fleet-4")).isIn("staged", "pending");
    assertEveryHostServes(serving);
  }

  @Test
  @Order(4)
  void aPausedRolloutHoldsUntilResumed() throws Exception {
    push("5.0.0", manifest(""));
    String id =
        start(
            Map.of(
                "version", "5.0.0", "strategy", Map.of("maxParallel", 2, "minHealthyTime", "3s")));
    awaitView(id, v -> v.path("hosts").findValuesAsText("state").contains("activating"));
    assertThat(CAST.api().postJson("/v1/deployments/" + id + "/pause", Map.of()).status())
        .isEqualTo(202);

    JsonNode paused = awaitView(id, v -> "paused".equals(v.path("phase").asText()));
    assertThat(paused.path("phase").asText()).as(paused.toString()).isEqualTo("paused");
    assertThat(paused.path("batch").asInt()).isEqualTo(2);
    Thread.sleep(2_000);
    Map<String, String> held =
        CastServerHarness.hostStates(CAST.api().get("/v1/deployments/" + id).body());
    assertThat(held.get("fleet-3")).isEqualTo("staged");
    assertThat(held.get("fleet-4")).isEqualTo("staged");

    assertThat(CAST.api().postJson("/v1/deployments/" + id + "/resume", Map.of()).status())
        .isEqualTo(202);
    JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    serving = "5.0.0";
    assertEveryHostServes("5.0.0");
  }

  @Test
  @Order(5)
  void cancelMidRolloutRevertsWhatWasSwitched() throws Exception {
    push("6.0.0", manifest(""));
    String id =
        start(
            Map.of(
                "version",
                "6.0.0",
                "strategy",
                Map.of("canary", 2, "promote", "manual", "maxParallel", 2)));
    awaitView(id, v -> "awaiting promote".equals(v.path("phase").asText()));

    assertThat(CAST.api().postJson("/v1/deployments/" + id + "/cancel", Map.of()).status())
        .isEqualTo(202);
    JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(2));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("CANCELLED");
    assertThat(CastServerHarness.hostStates(done))
        .containsEntry("fleet-1", "reverted")
        .containsEntry("fleet-2", "reverted");
    assertEveryHostServes(serving);
  }

  @Test
  @Order(6)
  void theHostsFeedEachOtherSoTheApiSendsWellUnderFourBundles() throws Exception {
    // 8 MiB that do not compress, beside the app, so the transfer is what is measured.
    Path source = Files.createTempDirectory(sources, "blob-");
    Files.copy(EXAMPLE.resolve("Hello.java"), source.resolve("Hello.java"));
    byte[] blob = new byte[8 << 20];
    new Random(6).nextBytes(blob);
    Files.write(source.resolve("blob.bin"), blob);
    Path manifest = sources.resolve("cast-6.5.0.yml");
    Files.writeString(manifest, manifest(""));
    Path bundle = sources.resolve("hello-6.5.0.tar.gz");
    Main.Bundles.pack(source, manifest, "6.5.0", bundle);
    ApiClient.Reply pushed = CAST.api().pushBundle("hello", bundle);
    assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(201);
    long size = pushed.body().path("size").asLong();
    String sha256 = pushed.body().path("sha256").asText();
    JsonNode before = CAST.api().get("/v1/distribution").body();

    JsonNode done = deploy(Map.of("version", "6.5.0", "strategy", Map.of("maxParallel", 4)));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    serving = "6.5.0";
    assertEveryHostServes("6.5.0");
    JsonNode after = CAST.api().get("/v1/distribution").body();
    long seeded =
        after.path("seederUploadedBytes").asLong() - before.path("seederUploadedBytes").asLong();
    long served =
        after.path("httpBundleBytesServed").asLong()
            - before.path("httpBundleBytesServed").asLong();
    System.out.printf(
        "bundle %d bytes to 4 hosts: the api seeded %d and served %d over HTTP (%.2f bundles)%n",
        size, seeded, served, (seeded + served) / (double) size);
    assertThat(seeded + served)
        .as("bytes the api sent for 4 hosts (seeded %d, HTTP %d)", seeded, served)
        .isLessThan(3 * size);
    for (Fleet.Host host : hosts.values()) {
      assertThat(host.dataDir().resolve("bundles/" + sha256 + ".torrent"))
          .as(host.name() + " fetched the bundle over BitTorrent")
          .exists();
    }
  }

  @Test
  @Order(7)
  void anAgentKilledDuringItsActivationFinishesAfterItRestarts() throws Exception {
    // A pre_activate hook that takes a while, so the kill lands inside the activation.
    push(
        "7.0.0", manifest("hooks:\n  pre_activate: {command: [\"sleep\", \"2\"], timeout: 60s}\n"));
    String id = start(Map.of("version", "7.0.0", "strategy", Map.of("maxParallel", 1)));
    JsonNode activating =
        awaitView(id, v -> "activating".equals(CastServerHarness.hostStates(v).get("fleet-2")));
    assertThat(CastServerHarness.hostStates(activating)).containsEntry("fleet-2", "activating");

    Fleet.Host victim = hosts.get("fleet-2");
    victim.kill9();
    Thread.sleep(1_000);
    victim.restart();

    JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(3));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    serving = "7.0.0";
    assertEveryHostServes("7.0.0");
    Path current = victim.dataDir().resolve("apps/hello/current");
    assertThat(current.toRealPath().getFileName().toString())
        .as("fleet-2's current release")
        .isEqualTo("7.0.0");
    assertThat(webProcesses(victim.dataDir()))
        .as("exactly one web process on fleet-2")
        .isEqualTo(1);
  }

  @Test
  @Order(8)
  void anAgentThatNeverComesBackIsUnreachableWithinMaxUnavailable() throws Exception {
    hosts.get("fleet-4").kill9();
    push("8.0.0", manifest(""));

    JsonNode tolerated =
        deploy(
            Map.of("version", "8.0.0", "strategy", Map.of("maxParallel", 3, "maxUnavailable", 1)));

    assertThat(tolerated.path("state").asText()).as(tolerated.toString()).isEqualTo("SUCCEEDED");
    assertThat(CastServerHarness.hostStates(tolerated)).containsEntry("fleet-4", "unreachable");
    assertThat(tolerated.path("cause").asText()).contains("1 host unreachable (fleet-4)");
    Map<String, String> versions = versions();
    for (String host : List.of("fleet-1", "fleet-2", "fleet-3")) {
      assertThat(versions).containsEntry(host, "8.0.0");
    }

    push("9.0.0", manifest(""));
    JsonNode refused =
        deploy(
            Map.of(
                "version", "9.0.0", "strategy", Map.of("maxParallel", 3, "maxUnavailable", "0%")));

    assertThat(refused.path("state").asText()).as(refused.toString()).isEqualTo("ROLLED_BACK");
    assertThat(refused.path("cause").asText())
        .contains("1 host unreachable (fleet-4)", "more than maxUnavailable 0");
    assertThat(versions()).containsEntry("fleet-1", "8.0.0");
  }

  // --- helpers

  private static String manifest(String extra) throws Exception {
    return Files.readString(EXAMPLE.resolve("cast.yml")) + extra;
  }

  private static void push(String version, String manifest) throws Exception {
    Path file = sources.resolve("cast-" + version + ".yml");
    Files.writeString(file, manifest);
    Path bundle = sources.resolve("hello-" + version + ".tar.gz");
    Main.Bundles.pack(EXAMPLE, file, version, bundle);
    ApiClient.Reply pushed = CAST.api().pushBundle("hello", bundle);
    assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(201);
  }

  private static String start(Map<String, Object> request) throws Exception {
    Map<String, Object> body = new HashMap<>(request);
    body.put("selector", Map.of("role", "fleet"));
    ApiClient.Reply started = CAST.api().postJson("/v1/apps/hello/deployments", body);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    return started.body().path("id").asText();
  }

  private static JsonNode deploy(Map<String, Object> request) throws Exception {
    return CAST.api().awaitDeployment(start(request), Duration.ofMinutes(3));
  }

  private static JsonNode awaitView(String id, Predicate<JsonNode> until) throws Exception {
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    JsonNode view = CAST.api().get("/v1/deployments/" + id).body();
    while (!until.test(view) && System.nanoTime() < end) {
      Thread.sleep(50);
      view = CAST.api().get("/v1/deployments/" + id).body();
    }
    return view;
  }

  /** The version each fleet host's instance answers with, asked over HTTP at its own address. */
  private static Map<String, String> versions() throws Exception {
    Map<String, String> versions = new LinkedHashMap<>();
    for (JsonNode instance : CAST.api().get("/v1/apps/hello/instances").body()) {
      String host = instance.path("host").asText();
      if (!HOSTS.contains(host)) {
        continue;
      }
      String url =
          "http://" + instance.path("address").asText() + ":" + instance.path("port").asInt() + "/";
      String answer = CAST.fetch(url);
      Matcher m = Pattern.compile("version (\\S+)").matcher(answer == null ? "" : answer);
      versions.put(host, m.find() ? m.group(1) : "no answer");
    }
    return versions;
  }

  private static void assertEveryHostServes(String version) throws Exception {
    Map<String, String> versions = versions();
    assertThat(versions.keySet()).containsExactlyInAnyOrderElementsOf(HOSTS);
    assertThat(versions.values()).as(versions.toString()).containsOnly(version);
  }

  /** Live processes running Hello.java whose command line or cwd lies under {@code dataDir}. */
  private static long webProcesses(Path dataDir) throws Exception {
    List<Long> found = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
          Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
          if (cmdline.contains("Hello.java")
              && !cmdline.contains("cast-run")
              && cwd.startsWith(dataDir.toRealPath())) {
            found.add(Long.parseLong(proc.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited while we looked
        }
      }
    }
    return found.size();
  }
}
