package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Host agents in their own processes (`cast agent`): they take deploys, and when one is killed with
 * SIGKILL its services keep serving and the next agent adopts them.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StandaloneAgentTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private Process agent;
  private Path bundle;

  @BeforeEach
  void startAgent() throws Exception {
    CAST.awaitHost();
    agent = CAST.startAgent("solo");
    CAST.awaitHost("solo", agent);
    bundle = TempDirs.create("cast-solo-").resolve("v1.tar.gz");
    Main.Bundles.pack(Path.of("../examples/hello"), null, "1.0.0", bundle);
    CAST.api().pushBundle("hello", bundle);
  }

  @AfterEach
  void stopAgent() throws Exception {
    agent.destroy();
    agent.waitFor(20, TimeUnit.SECONDS);
    CastServerHarness.killServicesUnder(CAST.agentDir("solo"));
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  private JsonNode deployToSolo() throws Exception {
    ApiClient.Reply started =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments", Map.of("version", "1.0.0", "hosts", List.of("solo")));
    return CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
  }

  private static JsonNode soloWeb() throws Exception {
    for (JsonNode host : CAST.api().get("/v1/apps/hello/services/web").body().path("hosts")) {
      if (host.path("host").asText().equals("solo")) {
        return host;
      }
    }
    return null;
  }

  @Test
  void deploysToAHostWhoseAgentRunsAlone() throws Exception {
    ApiClient.Reply started =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments",
                Map.of("version", "1.0.0", "selector", Map.of("role", "web")));
    JsonNode done =
        CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("hosts")).as("the selector picks the labelled host only").hasSize(1);
    assertThat(done.path("hosts").get(0).path("host").asText()).isEqualTo("solo");

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    JsonNode instance = CAST.api().get("/v1/apps/hello/instances").body().get(0);
    assertThat(instance.path("host").asText()).isEqualTo("solo");
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).startsWith("hello from version 1.0.0");
    assertThat(CAST.agentDir("solo").resolve("apps/hello/current")).isSymbolicLink();
    JsonNode host = CAST.api().get("/v1/hosts/solo").body();
    assertThat(host.path("labels").path("role").asText()).isEqualTo("web");
    assertThat(host.path("facts").path("cpus").asInt()).isPositive();
    assertThat(host.path("facts").path("arch").asText()).isNotEmpty();
  }

  @Test
  void servicesOutliveAKilledAgentAndTheNextAgentAdoptsThem() throws Exception {
    JsonNode deployed = deployToSolo();
    assertThat(deployed.path("state").asText()).as(deployed.toString()).isEqualTo("SUCCEEDED");
    String url = CAST.instanceUrl("hello");
    long pid = awaitSoloPid();

    new ProcessBuilder("kill", "-KILL", Long.toString(agent.pid())).start().waitFor();
    agent.waitFor(10, TimeUnit.SECONDS);
    assertThat(CAST.fetch(url)).as("serving with the agent dead").startsWith("hello from");

    agent = CAST.startAgent("solo");
    Thread.sleep(3000); // let the new agent adopt and report
    assertThat(CAST.fetch(url)).startsWith("hello from");
    assertThat(awaitSoloPid()).as("adopted, not restarted").isEqualTo(pid);
    assertThat(helloProcesses()).as("exactly one service process").isEqualTo(1);

    // Still supervised by the new agent: a crash is restarted.
    new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (CAST.fetch(url) == null && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(CAST.fetch(url)).as("restarted by the adopting agent").startsWith("hello from");
  }

  @Test
  void aCanaryWaitsForPromoteAndACancelRevertsIt() throws Exception {
    Map<String, Object> canary = Map.of("maxParallel", 1, "canary", 1, "promote", "manual");
    String first = startCanary("1.0.0", canary);
    awaitHostState(first, "local", "healthy");
    assertThat(hostState(first, "solo")).isEqualTo("staged");
    assertThat(CAST.api().postJson("/v1/deployments/" + first + "/promote", Map.of()).status())
        .isEqualTo(202);
    assertThat(CAST.api().awaitDeployment(first, Duration.ofMinutes(1)).path("state").asText())
        .isEqualTo("SUCCEEDED");

    Path v2 = bundle.resolveSibling("v2.tar.gz");
    Main.Bundles.pack(Path.of("../examples/hello"), null, "2.0.0", v2);
    CAST.api().pushBundle("hello", v2);
    String second = startCanary("2.0.0", canary);
    awaitHostState(second, "local", "healthy");
    assertThat(CAST.api().postJson("/v1/deployments/" + second + "/cancel", Map.of()).status())
        .isEqualTo(202);
    JsonNode cancelled = CAST.api().awaitDeployment(second, Duration.ofMinutes(1));

    assertThat(cancelled.path("state").asText()).as(cancelled.toString()).isEqualTo("CANCELLED");
    for (JsonNode instance : CAST.api().get("/v1/apps/hello/instances").body()) {
      assertThat(instance.path("version").asText()).isEqualTo("1.0.0");
      String url =
          "http://" + instance.path("address").asText() + ":" + instance.path("port").asInt() + "/";
      assertThat(CAST.fetch(url)).startsWith("hello from version 1.0.0");
    }
  }

  private static String startCanary(String version, Map<String, Object> strategy) throws Exception {
    ApiClient.Reply started =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments",
                Map.of(
                    "version", version, "hosts", List.of("local", "solo"), "strategy", strategy));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    return started.body().path("id").asText();
  }

  private static String hostState(String id, String host) throws Exception {
    for (JsonNode h : CAST.api().get("/v1/deployments/" + id).body().path("hosts")) {
      if (h.path("host").asText().equals(host)) {
        return h.path("state").asText();
      }
    }
    return null;
  }

  private static void awaitHostState(String id, String host, String state) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!state.equals(hostState(id, host)) && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(hostState(id, host)).isEqualTo(state);
  }

  private static long awaitSoloPid() throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      JsonNode web = soloWeb();
      if (web != null
          && "running".equals(web.path("state").asText())
          && web.path("pid").asLong() > 0) {
        return web.path("pid").asLong();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("solo never reported web running");
  }

  /** Hello.java processes whose working directory is under the solo agent's data dir. */
  private static long helloProcesses() throws Exception {
    Path root = CAST.agentDir("solo").toRealPath();
    long count = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
          Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
          if (cmd.matches("^(\\S*/)?java .*Hello\\.java.*") && cwd.startsWith(root)) {
            count++;
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    }
    return count;
  }
}
