package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.Fleet;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * A host's network is cut in the middle of a rollout (its link taken down at the test switch, as a
 * pulled cable; its agent and services keep running): it becomes unreachable, and the rollout goes
 * on without it within {@code maxUnavailable}, or stops and reverts beyond it. Needs the fleet's
 * network namespaces (root).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkCutTest {
  private static final CastServerHarness CAST =
      new CastServerHarness(
          ConfigOverride.config("deploy.unreachableAfter", "6s"),
          // A host not heard from for 6 s is down, and unreachable for the rollouts that wait on
          // it.
          ConfigOverride.config("agents.downAfter", "6s"),
          ConfigOverride.config("deploy.healthyDeadline", "30s"));
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static final Map<String, Fleet.Host> hosts = new LinkedHashMap<>();
  private static Fleet fleet;
  private static Path bundles;

  @BeforeAll
  static void startFleet() throws Exception {
    CAST.awaitHost();
    // Heartbeats every second, well inside the 6 s after which a silent host is unreachable.
    fleet = CAST.fleet("heartbeatSeconds: 1\n");
    assumeTrue(
        fleet.isolated(),
        "cutting a host's link needs network namespaces: " + fleet.whyNotIsolated());
    for (String name : List.of("cut-1", "cut-2")) {
      hosts.put(name, fleet.add(name, Map.of("role", "cut")));
    }
    for (Fleet.Host host : hosts.values()) {
      fleet.awaitRegistered(host);
    }
    bundles = TempDirs.create("cast-cut-");
    for (String version : List.of("1.0.0", "2.0.0", "3.0.0")) {
      Path bundle = bundles.resolve(version + ".tar.gz");
      Main.Bundles.pack(EXAMPLE, null, version, bundle);
      assertThat(CAST.api().pushBundle("hello", bundle).status()).isEqualTo(201);
    }
    JsonNode first = CAST.api().awaitDeployment(start("1.0.0", 0), Duration.ofMinutes(2));
    assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
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
  void aHostCutOffMidRolloutIsUnreachableAndTheRestGoesOnWithinMaxUnavailable() throws Exception {
    String id = start("2.0.0", 1);
    cutSecondHostOnceTheFirstSwitches(id);
    try {
      JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(2));

      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
      assertThat(CastServerHarness.hostStates(done))
          .containsEntry("cut-1", "healthy")
          .containsEntry("cut-2", "unreachable");
      assertThat(done.path("cause").asText()).contains("1 host unreachable (cut-2)");
      assertThat(versions()).containsEntry("cut-1", "2.0.0").containsEntry("cut-2", "1.0.0");
    } finally {
      reconnect(hosts.get("cut-2"));
    }
  }

  @Test
  @Order(2)
  void aHostCutOffBeyondMaxUnavailableStopsTheRolloutAndRevertsTheRest() throws Exception {
    String id = start("3.0.0", 0);
    cutSecondHostOnceTheFirstSwitches(id);
    try {
      JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(2));

      assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
      assertThat(done.path("cause").asText())
          .contains("1 host unreachable (cut-2)", "more than maxUnavailable 0");
      assertThat(CastServerHarness.hostStates(done))
          .containsEntry("cut-1", "reverted")
          .containsEntry("cut-2", "unreachable");
      assertThat(versions()).containsEntry("cut-1", "2.0.0");
    } finally {
      fleet.reconnect(hosts.get("cut-2"));
    }
    // Back on the network, cut-2 reports again and the catalog says what its links say (a switch
    // it took before the cut may have finished after it: what it runs is what it reports).
    Fleet.Host cut2 = hosts.get("cut-2");
    Path current = cut2.dataDir().resolve("apps/hello/current");
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!Files.isSymbolicLink(current)
        || !Files.readSymbolicLink(current)
            .getFileName()
            .toString()
            .equals(versions().get("cut-2"))) {
      assertThat(System.nanoTime()).as("the catalog follows cut-2 once it is back").isLessThan(end);
      Thread.sleep(200);
    }
  }

  /** With one host per batch, cut the second while the first switches: its switch is next. */
  private static void cutSecondHostOnceTheFirstSwitches(String id) throws Exception {
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!"activating"
        .equals(
            CastServerHarness.hostStates(CAST.api().get("/v1/deployments/" + id).body())
                .get("cut-1"))) {
      assertThat(System.nanoTime()).as("cut-1 starts switching").isLessThan(end);
      Thread.sleep(20);
    }
    fleet.cut(hosts.get("cut-2"));
  }

  private static void reconnect(Fleet.Host host) throws Exception {
    fleet.reconnect(host);
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!"up".equals(CAST.api().get("/v1/hosts/" + host.name()).body().path("state").asText())
        || fetchHost(host) == null) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            host.name()
                + " is not back: host "
                + CAST.api().get("/v1/hosts/" + host.name()).body()
                + ", instances "
                + CAST.api().get("/v1/apps/hello/instances").body()
                + ", fetch "
                + fetchHost(host)
                + "\nagent log:\n"
                + tail(host.log(), 80)
                + "\nservice logs:\n"
                + serviceLogs(host));
      }
      Thread.sleep(200);
    }
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n");
    return String.join(
        "\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
  }

  private static String serviceLogs(Fleet.Host host) throws Exception {
    StringBuilder out = new StringBuilder();
    try (var files = Files.walk(host.dataDir().resolve("apps"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        out.append("== ")
            .append(file)
            .append('\n')
            .append(tail(Files.readString(file), 30))
            .append('\n');
      }
    }
    return out.toString();
  }

  private static String fetchHost(Fleet.Host host) throws Exception {
    for (JsonNode instance : CAST.api().get("/v1/apps/hello/instances").body()) {
      if (instance.path("host").asText().equals(host.name())) {
        return CAST.fetch(
            "http://"
                + instance.path("address").asText()
                + ":"
                + instance.path("port").asInt()
                + "/");
      }
    }
    return null;
  }

  private static String start(String version, int maxUnavailable) throws Exception {
    Map<String, Object> body = new HashMap<>();
    body.put("version", version);
    body.put("selector", Map.of("role", "cut"));
    body.put("strategy", Map.of("maxParallel", 1, "maxUnavailable", maxUnavailable));
    ApiClient.Reply started = CAST.api().postJson("/v1/apps/hello/deployments", body);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    return started.body().path("id").asText();
  }

  /** What each host's agent last reported as current. */
  private static Map<String, String> versions() throws Exception {
    Map<String, String> versions = new HashMap<>();
    for (JsonNode host : CAST.api().get("/v1/apps/hello").body().path("current")) {
      versions.put(host.path("host").asText(), host.path("version").asText());
    }
    return versions;
  }
}
