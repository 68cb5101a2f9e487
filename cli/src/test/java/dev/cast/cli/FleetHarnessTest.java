package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.Fleet;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fleet harness against a real server: two hosts, each an agent process of its own, register
 * with addresses of their own, take a deploy of the example app and serve it at those addresses.
 * Where this machine allows, each host has its own network namespace and the hosts reach each other
 * across the fleet's bridge; elsewhere the same runs on loopback.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FleetHarnessTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static Fleet fleet;

  @AfterAll
  static void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    CAST.killServices();
  }

  @Test
  void hostsRegisterWithTheirOwnAddressesAndServeTheirInstancesThere() throws Exception {
    CAST.awaitHost();
    fleet = CAST.fleet();
    Fleet.Host a = fleet.add("harness-a", Map.of("role", "harness"));
    Fleet.Host b = fleet.add("harness-b", Map.of("role", "harness"));
    fleet.awaitRegistered(a);
    fleet.awaitRegistered(b);

    Map<String, String> registered = new HashMap<>();
    for (Fleet.Host host : List.of(a, b)) {
      registered.put(
          host.name(), CAST.api().get("/v1/hosts/" + host.name()).body().path("address").asText());
    }
    assertThat(registered).containsEntry("harness-a", a.address());
    assertThat(registered).containsEntry("harness-b", b.address());
    if (fleet.isolated()) {
      assertThat(a.address()).isNotEqualTo(b.address()).isNotEqualTo("127.0.0.1");
      assertThat(b.address()).isNotEqualTo("127.0.0.1");
    } else {
      System.err.println("FleetHarnessTest on loopback: " + fleet.whyNotIsolated());
    }

    Path bundle = TempDirs.create("cast-fleet-harness-").resolve("hello-1.0.0.tar.gz");
    Main.Bundles.pack(Path.of("../examples/hello"), null, "1.0.0", bundle);
    assertThat(CAST.api().pushBundle("hello", bundle).status()).isEqualTo(201);
    ApiClient.Reply started =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments",
                Map.of(
                    "version",
                    "1.0.0",
                    "hosts",
                    List.of(a.name(), b.name()),
                    "strategy",
                    Map.of("maxParallel", 2)));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode done =
        CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(1));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");

    Map<String, String> urls = new HashMap<>();
    for (JsonNode instance : CAST.api().get("/v1/apps/hello/instances").body()) {
      String host = instance.path("host").asText();
      urls.put(
          host,
          "http://" + instance.path("address").asText() + ":" + instance.path("port").asInt());
    }
    for (Fleet.Host host : List.of(a, b)) {
      assertThat(urls.get(host.name())).startsWith("http://" + host.address() + ":");
      assertThat(CAST.fetch(urls.get(host.name()) + "/"))
          .isEqualTo("hello from version 1.0.0 on " + host.name() + "\n");
    }
    if (fleet.isolated()) {
      assertThat(fetchFrom(a, urls.get(b.name())))
          .as("harness-b's instance, from harness-a's namespace")
          .endsWith("hello from version 1.0.0 on harness-b\n");
      assertThat(fetchFrom(b, urls.get(a.name())))
          .as("harness-a's instance, from harness-b's namespace")
          .endsWith("hello from version 1.0.0 on harness-a\n");
    }
  }

  /** An HTTP GET run on {@code host} (bash's /dev/tcp: curl need not be installed there). */
  private static String fetchFrom(Fleet.Host host, String url) throws Exception {
    String[] hostPort = url.substring("http://".length()).split(":");
    Process get =
        host.command(
                "bash",
                "-c",
                "exec 3<>/dev/tcp/$0/$1 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3",
                hostPort[0],
                hostPort[1])
            .redirectErrorStream(true)
            .start();
    String out = new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(get.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(get.exitValue()).as(out).isZero();
    return out;
  }
}
