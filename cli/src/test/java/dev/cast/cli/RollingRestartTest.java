package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two hosts, each an agent in its own process with its own data dir and name: a rolling restart
 * restarts both, one at a time, and at every moment at least one instance answers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RollingRestartTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final List<Process> agents = new ArrayList<>();

  @AfterAll
  static void stopAgents() throws Exception {
    for (Process agent : agents) {
      agent.destroy();
      agent.waitFor(20, TimeUnit.SECONDS);
    }
    CAST.killServices();
  }

  @Test
  void keepsAtLeastOneInstanceAnsweringWhileRestartingEveryHost() throws Exception {
    CAST.awaitHost();
    for (String name : List.of("web-1", "web-2")) {
      Process agent = CAST.startAgent(name);
      agents.add(agent);
      CAST.awaitHost(name, agent);
    }
    Path bundle = TempDirs.create("cast-rolling-").resolve("v1.tar.gz");
    Main.Bundles.pack(Path.of("../examples/hello"), null, "1.0.0", bundle);
    CAST.api().pushBundle("hello", bundle);
    ApiClient.Reply deploy =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments",
                Map.of("version", "1.0.0", "hosts", List.of("web-1", "web-2")));
    JsonNode deployed =
        CAST.api().awaitDeployment(deploy.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(deployed.path("state").asText()).as(deployed.toString()).isEqualTo("SUCCEEDED");
    List<String> urls = new ArrayList<>();
    for (JsonNode i : CAST.api().get("/v1/apps/hello/instances").body()) {
      urls.add("http://" + i.path("address").asText() + ":" + i.path("port").asInt() + "/");
    }
    assertThat(urls).hasSize(2);

    AtomicBoolean watching = new AtomicBoolean(true);
    AtomicInteger bothDown = new AtomicInteger();
    AtomicInteger oneDown = new AtomicInteger();
    Thread watcher =
        new Thread(
            () -> {
              while (watching.get()) {
                long up = urls.stream().filter(u -> CAST.fetch(u) != null).count();
                if (up == 0) {
                  bothDown.incrementAndGet();
                } else if (up == 1) {
                  oneDown.incrementAndGet();
                }
              }
            });
    watcher.start();
    ApiClient.Reply restart =
        CAST.api().postJson("/v1/apps/hello/services/web/restart", Map.of("maxParallel", 1));
    JsonNode done =
        CAST.api().awaitDeployment(restart.body().path("id").asText(), Duration.ofMinutes(2));
    watching.set(false);
    watcher.join();

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.path("hosts")).hasSize(2);
    assertThat(oneDown.get()).as("the watcher saw each host restart").isPositive();
    assertThat(bothDown.get()).as("never both down").isZero();
  }
}
