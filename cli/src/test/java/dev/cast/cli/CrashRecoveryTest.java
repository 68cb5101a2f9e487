package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server (api, embedded Temporal, embedded agent: one process) is killed with {@code kill -9}
 * at staging, while its host switches to a new release, and while it reverts a failed one. After
 * each restart the deployment is INTERRUPTED, the catalog says what the host runs (not what the
 * dead workflow last recorded), deploying again finishes the job, and a rollback goes where it
 * should: the release before, never a failed one.
 */
class CrashRecoveryTest {
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static ServerProcess server;
  private static Path bundles;

  @BeforeAll
  static void start() throws Exception {
    bundles = TempDirs.create("cast-crash-bundles-");
    Main.Bundles.pack(EXAMPLE, null, "1.0.0", bundles.resolve("v1.tar.gz"));
    // 2.0.0 takes about 8 s more to answer its health check: time to kill the server mid-switch.
    Path slow = bundles.resolve("slow.yml");
    Files.writeString(
        slow,
        Files.readString(EXAMPLE.resolve("cast.yml"))
            .replace(
                "command: [\"java\",",
                "command: [\"sh\", \"-c\", \"sleep 8; exec java -Xshare:auto"
                    + " -XX:TieredStopAtLevel=1 Hello.java\"]\n    #"));
    Main.Bundles.pack(EXAMPLE, slow, "2.0.0", bundles.resolve("v2.tar.gz"));
    // Bundles leave the api at 512 KiB/s (seeder and web seed each): a 12 MiB one stages for
    // seconds, time to kill the server mid-download.
    server = new ServerProcess("bundles: {maxSize: 64MiB, uploadRate: 512KiB}");
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void afterAKillMidSwitchTheCatalogFollowsTheHostAndRollbackPutsTheOldReleaseBack()
      throws Exception {
    ApiClient api = server.api();
    assertThat(api.pushBundle("hello", bundles.resolve("v1.tar.gz")).status()).isEqualTo(201);
    assertThat(api.pushBundle("hello", bundles.resolve("v2.tar.gz")).status()).isEqualTo(201);
    assertThat(deploy(api, "1.0.0").path("state").asText()).isEqualTo("SUCCEEDED");
    String url = instanceUrl(api);
    assertThat(ServerProcess.fetch(url)).startsWith("hello from version 1.0.0");

    JsonNode started =
        api.postJson("/v1/apps/hello/deployments", Map.of("version", "2.0.0")).body();
    String id = started.path("id").asText();
    Path current = server.dataDir.resolve("agent/apps/hello/current");
    server.awaitTrue(
        () -> Files.isSymbolicLink(current) && Files.readSymbolicLink(current).endsWith("2.0.0"),
        "the host switched its current link to 2.0.0");
    Thread.sleep(1000); // the new services are started right after the link swap
    assertThat(api.get("/v1/deployments/" + id).body().path("hosts").get(0).path("state").asText())
        .isEqualTo("activating");
    server.kill9();
    server.start();

    // The workflow is gone with the embedded Temporal server: interrupted, and the host's part
    // filled in from what the host reports.
    server.awaitTrue(
        () ->
            "switched"
                .equals(
                    api.get("/v1/deployments/" + id)
                        .body()
                        .path("hosts")
                        .get(0)
                        .path("state")
                        .asText()),
        "the interrupted deployment learns the host switched");
    JsonNode interrupted = api.get("/v1/deployments/" + id).body();
    assertThat(interrupted.path("state").asText()).isEqualTo("INTERRUPTED");
    JsonNode host = api.get("/v1/apps/hello").body().path("current").get(0);
    assertThat(host.path("version").asText()).as(host.toString()).isEqualTo("2.0.0");
    assertThat(host.path("previousVersion").asText()).as(host.toString()).isEqualTo("1.0.0");
    server.awaitTrue(
        () -> "hello from version 2.0.0 on local\n".equals(ServerProcess.fetch(url)),
        "the adopted 2.0.0 answers");
    JsonNode instance = api.get("/v1/apps/hello/instances").body().get(0);
    assertThat(instance.path("version").asText()).as(instance.toString()).isEqualTo("2.0.0");

    // Deploying 2.0.0 again finishes the job and keeps 1.0.0 as the previous release.
    JsonNode again = deploy(api, "2.0.0");
    assertThat(again.path("state").asText()).as(again.toString()).isEqualTo("SUCCEEDED");
    host = api.get("/v1/apps/hello").body().path("current").get(0);
    assertThat(host.path("previousVersion").asText()).as(host.toString()).isEqualTo("1.0.0");

    ApiClient.Reply rollback = api.postJson("/v1/apps/hello/rollback", Map.of());
    assertThat(rollback.status()).as(rollback.body().toString()).isEqualTo(202);
    assertThat(rollback.body().path("version").asText()).isEqualTo("1.0.0");
    JsonNode back = api.awaitDeployment(rollback.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(back.path("state").asText()).as(back.toString()).isEqualTo("SUCCEEDED");
    assertThat(ServerProcess.fetch(url)).startsWith("hello from version 1.0.0");
    assertThat(Files.readSymbolicLink(current).toString()).endsWith("1.0.0");
    host = api.get("/v1/apps/hello").body().path("current").get(0);
    assertThat(host.path("version").asText()).as(host.toString()).isEqualTo("1.0.0");

    // Rolling back to what every host already runs changes nothing, so it is refused.
    ApiClient.Reply noop = api.postJson("/v1/apps/hello/rollback", Map.of("version", "1.0.0"));
    assertThat(noop.status()).as(noop.body().toString()).isEqualTo(409);
    assertThat(noop.body().path("detail").asText())
        .contains("already runs 1.0.0")
        .contains("releases on them: 1.0.0, 2.0.0");
  }

  @Test
  void afterAKillMidStagingTheHostKeepsItsReleaseAndDeployingAgainResumes() throws Exception {
    ApiClient api = server.api();
    Path source = TempDirs.create("cast-crash-big-");
    for (String file : List.of("Hello.java", "cast.yml")) {
      Files.copy(EXAMPLE.resolve(file), source.resolve(file));
    }
    Files.writeString(
        source.resolve("cast.yml"),
        Files.readString(source.resolve("cast.yml")).replace("name: hello", "name: big"));
    Main.Bundles.pack(source, null, "1.0.0", bundles.resolve("big-1.tar.gz"));
    byte[] blob = new byte[12 << 20];
    new Random(12).nextBytes(blob);
    Files.write(source.resolve("blob.bin"), blob);
    Main.Bundles.pack(source, null, "2.0.0", bundles.resolve("big-2.tar.gz"));
    assertThat(api.pushBundle("big", bundles.resolve("big-1.tar.gz")).status()).isEqualTo(201);
    assertThat(api.pushBundle("big", bundles.resolve("big-2.tar.gz")).status()).isEqualTo(201);
    assertThat(deploy(api, "big", "1.0.0").path("state").asText()).isEqualTo("SUCCEEDED");

    String id =
        api.postJson("/v1/apps/big/deployments", Map.of("version", "2.0.0"))
            .body()
            .path("id")
            .asText();
    server.awaitTrue(() -> hostState(api, id).equals("staging"), "the host stages 2.0.0");
    Thread.sleep(3000);
    assertThat(hostState(api, id)).as("still downloading at 512 KiB/s").isEqualTo("staging");
    server.kill9();
    server.start();

    server.awaitTrue(() -> hostState(api, id).equals("unchanged"), "the host's part is settled");
    JsonNode interrupted = api.get("/v1/deployments/" + id).body();
    assertThat(interrupted.path("state").asText()).isEqualTo("INTERRUPTED");
    assertThat(interrupted.path("hosts").get(0).path("message").asText())
        .contains("interrupted while staging")
        .contains("not switched, still on 1.0.0");
    JsonNode host = api.get("/v1/apps/big").body().path("current").get(0);
    assertThat(host.path("version").asText()).as(host.toString()).isEqualTo("1.0.0");
    assertThat(ServerProcess.fetch(instanceUrl(api, "big"))).startsWith("hello from version 1.0.0");

    JsonNode again = deploy(api, "big", "2.0.0");
    assertThat(again.path("state").asText()).as(again.toString()).isEqualTo("SUCCEEDED");
    assertThat(ServerProcess.fetch(instanceUrl(api, "big"))).startsWith("hello from version 2.0.0");
    ApiClient.Reply rollback = api.postJson("/v1/apps/big/rollback", Map.of());
    assertThat(rollback.status()).as(rollback.body().toString()).isEqualTo(202);
    JsonNode back = api.awaitDeployment(rollback.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(back.path("state").asText()).as(back.toString()).isEqualTo("SUCCEEDED");
    assertThat(ServerProcess.fetch(instanceUrl(api, "big"))).startsWith("hello from version 1.0.0");
  }

  @Test
  void afterAKillMidRevertTheFailedReleaseIsNeverTheRollbackTarget() throws Exception {
    ApiClient api = server.api();
    String manifest =
        Files.readString(EXAMPLE.resolve("cast.yml"))
            .replace("name: hello", "name: rev")
            // 6 s to start: the revert's wait for 1.0.0 to be healthy again is the window.
            .replace(
                "command: [\"java\",",
                "command: [\"sh\", \"-c\", \"sleep 6; exec java -Xshare:auto"
                    + " -XX:TieredStopAtLevel=1 Hello.java\"]\n    #");
    Path good = bundles.resolve("rev.yml");
    Files.writeString(good, manifest);
    Path broken = bundles.resolve("rev-broken.yml");
    Files.writeString(broken, manifest.replace("path: /health", "path: /not-ready"));
    Main.Bundles.pack(EXAMPLE, good, "1.0.0", bundles.resolve("rev-1.tar.gz"));
    Main.Bundles.pack(EXAMPLE, broken, "2.0.0", bundles.resolve("rev-2.tar.gz"));
    assertThat(api.pushBundle("rev", bundles.resolve("rev-1.tar.gz")).status()).isEqualTo(201);
    assertThat(api.pushBundle("rev", bundles.resolve("rev-2.tar.gz")).status()).isEqualTo(201);
    assertThat(deploy(api, "rev", "1.0.0").path("state").asText()).isEqualTo("SUCCEEDED");

    String id =
        api.postJson(
                "/v1/apps/rev/deployments", Map.of("version", "2.0.0", "healthyDeadline", "9s"))
            .body()
            .path("id")
            .asText();
    Path current = server.dataDir.resolve("agent/apps/rev/current");
    server.awaitTrue(
        () -> hostState(api, id).equals("reverting") && linkTo(current).equals("1.0.0"),
        "the host reverts: current points at 1.0.0 again while it starts");
    server.kill9();
    server.start();

    server.awaitTrue(
        () -> api.get("/v1/deployments/" + id).body().path("state").asText().equals("INTERRUPTED"),
        "the deployment is interrupted");
    server.awaitTrue(
        () ->
            api.get("/v1/apps/rev")
                .body()
                .path("current")
                .get(0)
                .path("version")
                .asText()
                .equals(linkTo(current)),
        "the catalog says what the host's current link says");
    JsonNode host = api.get("/v1/apps/rev").body().path("current").get(0);
    assertThat(host.path("previousVersion").isNull())
        .as("the failed 2.0.0 is not the previous release: " + host)
        .isTrue();
    ApiClient.Reply rollback = api.postJson("/v1/apps/rev/rollback", Map.of());
    assertThat(rollback.status()).as(rollback.body().toString()).isEqualTo(409);
    assertThat(rollback.body().path("detail").asText())
        .contains("no previous release")
        .contains("releases on them: 1.0.0, 2.0.0");

    JsonNode again = deploy(api, "rev", "1.0.0");
    assertThat(again.path("state").asText()).as(again.toString()).isEqualTo("SUCCEEDED");
    assertThat(ServerProcess.fetch(instanceUrl(api, "rev"))).startsWith("hello from version 1.0.0");
  }

  private static String hostState(ApiClient api, String id) throws Exception {
    return api.get("/v1/deployments/" + id).body().path("hosts").get(0).path("state").asText();
  }

  private static String linkTo(Path link) throws IOException {
    return Files.isSymbolicLink(link)
        ? Files.readSymbolicLink(link).getFileName().toString()
        : "none";
  }

  private static JsonNode deploy(ApiClient api, String version) throws Exception {
    return deploy(api, "hello", version);
  }

  private static JsonNode deploy(ApiClient api, String app, String version) throws Exception {
    ApiClient.Reply started =
        api.postJson("/v1/apps/" + app + "/deployments", Map.of("version", version));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    return api.awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
  }

  private static String instanceUrl(ApiClient api) throws Exception {
    return instanceUrl(api, "hello");
  }

  private static String instanceUrl(ApiClient api, String app) throws Exception {
    JsonNode instance = api.get("/v1/apps/" + app + "/instances").body().get(0);
    return "http://127.0.0.1:" + instance.path("port").asInt() + "/";
  }
}
