package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the embedded Temporal server, INTERRUPTED is never a dead end. The server (api, embedded
 * Temporal, embedded agent {@code local}) is killed with {@code kill -9} while a deploy to two
 * hosts has switched {@code local} and not yet {@code second} (an agent in a process of its own,
 * which lives on and joins the restarted server). After the restart the deployment shows which host
 * switched; resume finishes the deploy, leaving the switched host's services alone, and revert puts
 * every host back on the old release.
 */
class InterruptedDeploymentTest {
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static ServerProcess server;
  private static Process second;
  private static Path bundles;

  @BeforeAll
  static void start() throws Exception {
    bundles = TempDirs.create("cast-interrupted-bundles-");
    // A fixed Temporal port: the agent of its own finds the restarted server where it was.
    int temporalPort = ServerProcess.freePort();
    server =
        new ServerProcess(
            "bundles: {maxSize: 1MiB}",
            "temporal: {target: embedded, embeddedPort: " + temporalPort + "}",
            true);
    server.start();
    second = server.startAgent("second", "127.0.0.1:" + temporalPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.destroy();
      second.waitFor(20, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * Pushes {@code app} 1.0.0 and a 2.0.0 whose service takes 8 s more to start (time to kill the
   * server while the first host switches), and deploys 1.0.0 to both hosts; that deployment's id.
   */
  private static String twoReleases(ApiClient api, String app) throws Exception {
    String manifest =
        Files.readString(EXAMPLE.resolve("cast.yml")).replace("name: hello", "name: " + app);
    Path good = bundles.resolve(app + ".yml");
    Files.writeString(good, manifest);
    Path slow = bundles.resolve(app + "-slow.yml");
    Files.writeString(
        slow,
        manifest.replace(
            "command: [\"java\",",
            "command: [\"sh\", \"-c\", \"sleep 8; exec java -Xshare:auto"
                + " -XX:TieredStopAtLevel=1 Hello.java\"]\n    #"));
    Main.Bundles.pack(EXAMPLE, good, "1.0.0", bundles.resolve(app + "-1.tar.gz"));
    Main.Bundles.pack(EXAMPLE, slow, "2.0.0", bundles.resolve(app + "-2.tar.gz"));
    assertThat(api.pushBundle(app, bundles.resolve(app + "-1.tar.gz")).status()).isEqualTo(201);
    assertThat(api.pushBundle(app, bundles.resolve(app + "-2.tar.gz")).status()).isEqualTo(201);
    JsonNode first = await(api, deploy(api, app, "1.0.0"));
    assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
    return first.path("id").asText();
  }

  /** Starts a deploy to local, then second, one at a time; its id. */
  private static String deploy(ApiClient api, String app, String version) throws Exception {
    ApiClient.Reply started =
        api.postJson(
            "/v1/apps/" + app + "/deployments",
            Map.of(
                "version",
                version,
                "hosts",
                List.of("local", "second"),
                "strategy",
                Map.of("maxParallel", 1)));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    return started.body().path("id").asText();
  }

  /**
   * Deploys 2.0.0 and kills the server once {@code local} switched to it, before {@code second}
   * did; after the restart, waits until the deployment shows which host switched. Its view.
   */
  private static JsonNode interruptedMidDeploy(ApiClient api, String app) throws Exception {
    String id = deploy(api, app, "2.0.0");
    Path current = server.dataDir.resolve("agent/apps/" + app + "/current");
    server.awaitTrue(
        () -> Files.isSymbolicLink(current) && Files.readSymbolicLink(current).endsWith("2.0.0"),
        "local switched its current link to 2.0.0");
    server.kill9();
    server.start();
    server.awaitTrue(
        () ->
            CastServerHarness.hostStates(api.get("/v1/deployments/" + id).body())
                .equals(Map.of("local", "switched", "second", "unchanged")),
        "the interrupted deployment learns local switched and second did not");
    JsonNode interrupted = api.get("/v1/deployments/" + id).body();
    assertThat(interrupted.path("state").asText()).isEqualTo("INTERRUPTED");
    assertThat(interrupted.path("cause").asText())
        .contains("POST /v1/deployments/" + id + "/resume")
        .contains("/revert");
    Map<String, String> messages = new LinkedHashMap<>();
    interrupted
        .path("hosts")
        .forEach(h -> messages.put(h.path("host").asText(), h.path("message").asText()));
    assertThat(messages.get("local")).startsWith("switched to 2.0.0 before the interruption");
    assertThat(messages.get("second")).startsWith("not switched, still on 1.0.0");
    return interrupted;
  }

  @Test
  void resumeAfterAKillMidDeployFinishesItAndLeavesTheSwitchedHostAlone() throws Exception {
    ApiClient api = server.api();
    twoReleases(api, "resumed");
    String id = interruptedMidDeploy(api, "resumed").path("id").asText();
    server.awaitTrue(
        () ->
            "hello from version 2.0.0 on local\n"
                .equals(ServerProcess.fetch(url(api, "resumed", "local"))),
        "local's adopted 2.0.0 answers");
    long localPid = pid(api, "resumed", "local");

    ApiClient.Reply resumed = api.postJson("/v1/deployments/" + id + "/resume", Map.of());

    assertThat(resumed.status()).as(resumed.body().toString()).isEqualTo(202);
    String next = resumed.body().path("id").asText();
    assertThat(next).isNotEqualTo(id);
    assertThat(resumed.body().path("follows").asText()).isEqualTo(id);
    JsonNode done = await(api, next);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    for (JsonNode host : api.get("/v1/apps/resumed").body().path("current")) {
      assertThat(host.path("version").asText()).as(host.toString()).isEqualTo("2.0.0");
      assertThat(host.path("previousVersion").asText()).as(host.toString()).isEqualTo("1.0.0");
    }
    // Each answers with 2.0.0 (a single fetch may miss on a loaded machine: its answer waits 2 s).
    for (String host : List.of("local", "second")) {
      server.awaitTrue(
          () ->
              ("hello from version 2.0.0 on " + host + "\n")
                  .equals(ServerProcess.fetch(url(api, "resumed", host))),
          host + " answers with 2.0.0");
    }
    assertThat(pid(api, "resumed", "local"))
        .as("the switched host's service was left running")
        .isEqualTo(localPid);
    JsonNode old = api.get("/v1/deployments/" + id).body();
    assertThat(old.path("state").asText()).isEqualTo("INTERRUPTED");
    assertThat(old.path("endedBy").asText()).isEqualTo(next);
    assertThat(old.path("cause").asText()).endsWith("resumed by " + next);
    ApiClient.Reply again = api.postJson("/v1/deployments/" + id + "/resume", Map.of());
    assertThat(again.status()).as(again.body().toString()).isEqualTo(409);
    assertThat(again.body().path("detail").asText()).contains("already ended");
  }

  @Test
  void revertAfterAKillMidDeployPutsEveryHostBackOnTheOldRelease() throws Exception {
    ApiClient api = server.api();
    String first = twoReleases(api, "reverted");
    ApiClient.Reply notInterrupted = api.postJson("/v1/deployments/" + first + "/revert", Map.of());
    assertThat(notInterrupted.status()).isEqualTo(409);
    assertThat(notInterrupted.body().path("type").asText()).endsWith("/NOT_INTERRUPTED");
    assertThat(notInterrupted.body().path("detail").asText())
        .contains("is SUCCEEDED")
        .contains("POST /v1/apps/reverted/rollback");
    String id = interruptedMidDeploy(api, "reverted").path("id").asText();

    ApiClient.Reply revert = api.postJson("/v1/deployments/" + id + "/revert", Map.of());

    assertThat(revert.status()).as(revert.body().toString()).isEqualTo(202);
    assertThat(revert.body().path("kind").asText()).isEqualTo("rollback");
    assertThat(revert.body().path("follows").asText()).isEqualTo(id);
    assertThat(CastServerHarness.hostStates(revert.body()).keySet()).containsExactly("local");
    String rollback = revert.body().path("id").asText();
    JsonNode done = await(api, rollback);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    JsonNode current = api.get("/v1/apps/reverted").body().path("current");
    assertThat(current).hasSize(2);
    for (JsonNode host : current) {
      assertThat(host.path("version").asText()).as(host.toString()).isEqualTo("1.0.0");
    }
    // Each answers with 1.0.0 (a single fetch may miss on a loaded machine: its answer waits 2 s).
    for (String host : List.of("local", "second")) {
      server.awaitTrue(
          () ->
              ("hello from version 1.0.0 on " + host + "\n")
                  .equals(ServerProcess.fetch(url(api, "reverted", host))),
          host + " answers with 1.0.0");
    }
    JsonNode old = api.get("/v1/deployments/" + id).body();
    assertThat(old.path("endedBy").asText()).isEqualTo(rollback);
    assertThat(old.path("cause").asText()).contains("reverted by " + rollback);
    ApiClient.Reply resume = api.postJson("/v1/deployments/" + id + "/resume", Map.of());
    assertThat(resume.status()).as(resume.body().toString()).isEqualTo(409);
  }

  private static JsonNode await(ApiClient api, String id) throws Exception {
    return api.awaitDeployment(id, Duration.ofMinutes(3));
  }

  /** The URL of the app's web service on one host. */
  private static String url(ApiClient api, String app, String host) throws Exception {
    for (JsonNode instance : api.get("/v1/apps/" + app + "/instances").body()) {
      if (instance.path("host").asText().equals(host)) {
        return "http://"
            + instance.path("address").asText()
            + ":"
            + instance.path("port").asInt()
            + "/";
      }
    }
    return null;
  }

  /** The process id of the app's web service on one host, as its agent reports it. */
  private static long pid(ApiClient api, String app, String host) throws Exception {
    for (JsonNode status : api.get("/v1/apps/" + app + "/services/web").body().path("hosts")) {
      if (status.path("host").asText().equals(host)) {
        return status.path("pid").asLong();
      }
    }
    throw new AssertionError("no status of web on " + host);
  }
}
