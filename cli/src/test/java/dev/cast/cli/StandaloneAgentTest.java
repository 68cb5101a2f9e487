package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A host agent in its own process (`cast agent`) joins the server and takes a deploy. */
@ExtendWith(DropwizardExtensionsSupport.class)
class StandaloneAgentTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static Process agent;

  @AfterAll
  static void stopAgent() throws Exception {
    if (agent != null) {
      agent.destroy();
      agent.waitFor(20, TimeUnit.SECONDS);
    }
    CAST.killServices();
  }

  @Test
  void deploysToAHostWhoseAgentRunsAlone() throws Exception {
    CAST.awaitHost();
    Path agentDir = CAST.dataDir.resolve("agent"); // killServices looks here
    String temporal = APP.<ServerApplication>getApplication().runtime().temporal().target();
    agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.cast.cli.Main",
                "agent",
                "--name",
                "solo",
                "--data-dir",
                agentDir.toString(),
                "--api",
                "http://127.0.0.1:" + APP.getLocalPort(),
                "--temporal",
                temporal)
            .redirectErrorStream(true)
            .redirectOutput(CAST.dataDir.resolve("solo-agent.log").toFile())
            .start();
    awaitHost("solo");
    Path bundle = Files.createTempDirectory("cast-solo-").resolve("v1.tar.gz");
    Main.Bundles.pack(Path.of("../examples/hello"), null, "1.0.0", bundle);
    assertThat(CAST.api().pushBundle("hello", bundle).status()).isEqualTo(201);

    ApiClient.Reply started =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments", Map.of("version", "1.0.0", "hosts", List.of("solo")));
    JsonNode done =
        CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    JsonNode instance = CAST.api().get("/v1/apps/hello/instances").body().get(0);
    assertThat(instance.path("host").asText()).isEqualTo("solo");
    assertThat(CAST.fetch(CAST.instanceUrl("hello"))).startsWith("hello from version 1.0.0");
    assertThat(agentDir.resolve("apps/hello/current")).isSymbolicLink();
  }

  private static void awaitHost(String name) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (CAST.api().get("/v1/hosts/" + name).status() != 200) {
      assertThat(agent.isAlive())
          .as("the agent process died: " + Files.readString(CAST.dataDir.resolve("solo-agent.log")))
          .isTrue();
      assertThat(System.nanoTime()).as("agent never registered").isLessThan(end);
      Thread.sleep(100);
    }
  }
}
