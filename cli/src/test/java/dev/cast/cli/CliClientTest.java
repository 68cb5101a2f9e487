package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code cast} client commands against a real server: output shape, exit codes for success, a
 * rollback, refused input and an unreachable api, and {@code --output json} parsed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliClientTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static Path bundles;

  @BeforeAll
  static void pack() throws Exception {
    bundles = TempDirs.create("cast-cli-");
    Main.Bundles.pack(
        EXAMPLE, EXAMPLE.resolve("broken.yml"), "3.0.0", bundles.resolve("broken.tar.gz"));
    CAST.awaitHost();
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  /** What one run of {@code cast} printed, and its exit code. */
  record Run(int code, String out, String err) {}

  private static Run cast(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--api")) {
      all.addAll(List.of("--api", CAST.baseUrl(), "--token", CAST.adminToken()));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  @Order(1)
  void pushPacksADirectoryAndDeployFollowsTheDeploymentToItsEnd() {
    Run pushed = cast("push", EXAMPLE.toString(), "--version", "1.0.0");
    assertThat(pushed.code()).as(pushed.err()).isZero();
    assertThat(pushed.out()).startsWith("pushed hello 1.0.0 (");

    Run deployed = cast("deploy", "hello", "1.0.0", "--reason", "first");

    assertThat(deployed.code()).as(deployed.out() + deployed.err()).isZero();
    // Not a terminal here: a header line, then one line per change of a host.
    assertThat(deployed.out())
        .containsPattern("(?m)^d-[a-z0-9]+ deploy hello 1\\.0\\.0: ")
        .containsPattern("(?m)^  local: healthy 1\\.0\\.0 is serving$")
        .containsPattern("(?m)^d-[a-z0-9]+ SUCCEEDED$");
  }

  @Test
  @Order(2)
  void aBrokenReleaseEndsRolledBackWithExitCode1AndItsCause() {
    Run pushed = cast("push", bundles.resolve("broken.tar.gz").toString());
    assertThat(pushed.code()).as(pushed.err()).isZero();

    Run deployed = cast("deploy", "hello", "3.0.0", "--healthy-deadline", "3s");

    assertThat(deployed.code()).as(deployed.out()).isEqualTo(1);
    assertThat(deployed.out()).containsPattern("(?m)^d-[a-z0-9]+ ROLLED_BACK: .*SERVICE_");
  }

  @Test
  @Order(3)
  void refusedInputIsOneLineWithExitCode2AndAnUnreachableApiIs4() {
    Run missing = cast("deploy", "hello", "9.9.9");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip())
        .startsWith("cast deploy: 404 ")
        .contains("9.9.9")
        .doesNotContain("\n");

    Run usage = cast("deploy", "hello");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required parameter: 'VERSION'");

    Run badToken = cast("apps", "--api", CAST.baseUrl(), "--token", "cast_nope");
    assertThat(badToken.code()).isEqualTo(2);
    assertThat(badToken.err()).contains("401").contains("cast login");

    Run away = cast("apps", "--api", "http://127.0.0.1:1", "--token", "x");
    assertThat(away.code()).isEqualTo(4);
    assertThat(away.err()).contains("cannot reach the api at http://127.0.0.1:1");
  }

  @Test
  @Order(4)
  void readCommandsPrintTextOrJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Run apps = cast("apps", "--output", "json");
    assertThat(apps.code()).isZero();
    JsonNode list = json.readTree(apps.out());
    assertThat(list.isArray()).isTrue();
    assertThat(list.toString()).contains("\"hello\"");

    Run history = cast("history", "hello", "-o", "json");
    JsonNode deployments = json.readTree(history.out());
    assertThat(deployments).hasSize(2);
    assertThat(deployments.get(0).path("state").asText()).isEqualTo("ROLLED_BACK");
    String id = deployments.get(1).path("id").asText();

    Run text = cast("history", "hello");
    assertThat(text.out().lines()).hasSize(2);
    assertThat(text.out()).contains(id).contains("SUCCEEDED");

    Run status = cast("status", id);
    assertThat(status.code()).isZero();
    assertThat(status.out()).startsWith(id + " deploy hello 1.0.0: SUCCEEDED").contains("local");

    Run releases = cast("releases", "hello", "-o", "json");
    assertThat(json.readTree(releases.out())).hasSize(2);
  }

  @Test
  @Order(5)
  void aDetachedDeployIsFollowedByWatchAndRollbackFollowsItself() throws Exception {
    assertThat(cast("push", EXAMPLE.toString(), "--version", "2.0.0").code()).isZero();
    Run detached = cast("deploy", "hello", "2.0.0", "--detach");
    assertThat(detached.code()).isZero();
    String id = detached.out().strip();
    assertThat(id).matches("d-[a-z0-9]+");

    Run watched = cast("watch", id);
    assertThat(watched.code()).as(watched.out()).isZero();
    assertThat(watched.out()).contains(id + " SUCCEEDED");

    Run back = cast("rollback", "hello");
    assertThat(back.code()).as(back.out() + back.err()).isZero();
    assertThat(back.out()).containsPattern("(?m)^d-[a-z0-9]+ rollback hello 1\\.0\\.0: ");
  }

  @Test
  @Order(6)
  void kvPutGetLsDel() {
    assertThat(cast("kv", "put", "config/hello/greeting", "Bonjour").out().strip()).isEqualTo("ok");
    assertThat(cast("kv", "get", "config/hello/greeting").out().strip()).isEqualTo("Bonjour");
    assertThat(cast("kv", "ls", "config/hello/").out().strip()).isEqualTo("config/hello/greeting");
    // A watch prints the value now, then the next one, woken by the write.
    CompletableFuture<Run> watched =
        CompletableFuture.supplyAsync(() -> cast("kv", "watch", "config/hello/greeting", "--once"));
    CompletableFuture<Run> tree =
        CompletableFuture.supplyAsync(
            () -> cast("kv", "watch", "config/hello/", "--recurse", "--once"));
    awaitWatchers(2);
    assertThat(cast("kv", "put", "config/hello/greeting", "Salut").code()).isZero();
    Run one = watched.orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(one.out()).isEqualTo("Bonjour\nSalut\n");
    assertThat(tree.orTimeout(30, TimeUnit.SECONDS).join().out())
        .isEqualTo("config/hello/greeting=Bonjour\nconfig/hello/greeting=Salut\n");
    assertThat(cast("kv", "del", "config/hello/", "--recurse").code()).isZero();
    Run gone = cast("kv", "get", "config/hello/greeting");
    assertThat(gone.code()).isEqualTo(2);
    assertThat(gone.err()).contains("404");
  }

  /** Waits until {@code n} registry reads block (the api's count of them, on its admin port). */
  private static void awaitWatchers(int n) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      try {
        String metrics = CAST.scrapeMetrics().body();
        if (metrics
            .lines()
            .anyMatch(l -> l.equals("cast_registry_blocking_watchers " + n + ".0"))) {
          return;
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(n + " blocking reads were not seen waiting");
  }

  @Test
  @Order(7)
  void loginSavesTheApiAndTokenForLaterCommandsReadableByTheUserOnly() throws Exception {
    Path home = TempDirs.create("cast-home-");
    String before = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      Run login = cast("login", "--api", CAST.baseUrl(), "--token", CAST.adminToken());
      assertThat(login.code()).as(login.err()).isZero();
      Path saved = home.resolve(".config/cast/config");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
          .isEqualTo("rw-------");

      StringWriter out = new StringWriter();
      int code =
          Main.commandLine()
              .setOut(new PrintWriter(out, true))
              .execute("history", "hello"); // no --api, no --token: the saved login
      assertThat(code).isZero();
      assertThat(out.toString()).contains("rollback");

      Run refused = cast("login", "--api", CAST.baseUrl(), "--token", "cast_nope");
      assertThat(refused.code()).isEqualTo(2);
    } finally {
      System.setProperty("user.home", before);
    }
  }

  @Test
  @Order(8)
  void everyCommandHasHelpWithAnExample() {
    for (String command :
        List.of(
            "login",
            "push",
            "deploy",
            "config-rollout",
            "status",
            "watch",
            "promote",
            "pause",
            "resume",
            "cancel",
            "rollback",
            "history",
            "apps",
            "releases",
            "hosts",
            "kv")) {
      Run help = cast(command, "--help");
      assertThat(help.code()).as(command).isZero();
      assertThat(help.out()).as(command).contains("--api").contains("Example");
    }
  }

  @Test
  @Order(9)
  void servicesRestartAndLogs() {
    Run services = cast("services", "hello", "web");
    assertThat(services.code()).as(services.err()).isZero();
    assertThat(services.out()).containsPattern("(?m)^local\\s+1\\.0\\.0\\s+running\\s+pid \\d+");

    Run restarted = cast("restart", "hello", "web");
    assertThat(restarted.code()).as(restarted.out() + restarted.err()).isZero();
    assertThat(restarted.out()).containsPattern("(?m)^d-[a-z0-9]+ restart hello 1\\.0\\.0: ");

    Run logs = cast("logs", "hello", "web", "--tail", "20");
    assertThat(logs.code()).as(logs.err()).isZero();
    assertThat(logs.out()).contains("hello 1.0.0 listening on");
    assertThat(cast("logs", "hello", "nosuch").code()).isEqualTo(2);
  }

  @Test
  @Order(10)
  void tokensAreMadeListedAndRevoked() throws Exception {
    Run made =
        cast("tokens", "create", "ci", "--role", "viewer", "--expires-in", "1d", "-o", "json");
    assertThat(made.code()).as(made.err()).isZero();
    JsonNode token = new ObjectMapper().readTree(made.out());
    String secret = token.path("secret").asText();
    assertThat(secret).startsWith("cast_");

    Run asViewer = cast("apps", "--api", CAST.baseUrl(), "--token", secret);
    assertThat(asViewer.code()).as(asViewer.err()).isZero();
    Run deployAsViewer =
        cast("deploy", "hello", "1.0.0", "--api", CAST.baseUrl(), "--token", secret);
    assertThat(deployAsViewer.code()).isEqualTo(2);
    assertThat(deployAsViewer.err()).contains("403");

    assertThat(cast("tokens", "list").out()).contains("ci").contains("viewer");
    assertThat(cast("tokens", "revoke", token.path("id").asText()).code()).isZero();
    assertThat(cast("apps", "--api", CAST.baseUrl(), "--token", secret).code()).isEqualTo(2);
  }

  @Test
  @Order(11)
  void deploymentsOfEveryAppAreListedNewestFirstFilteredAndOnlyThoseTheTokenReaches()
      throws Exception {
    ApiClient admin = CAST.api();
    JsonNode all = admin.get("/v1/deployments").body();
    assertThat(all.size()).as(all.toString()).isGreaterThanOrEqualTo(3);
    List<String> started = new ArrayList<>();
    all.forEach(d -> started.add(d.path("startedAt").asText()));
    assertThat(started).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    JsonNode rolledBack = admin.get("/v1/deployments?state=ROLLED_BACK&app=hello").body();
    assertThat(rolledBack).isNotEmpty();
    rolledBack.forEach(d -> assertThat(d.path("state").asText()).isEqualTo("ROLLED_BACK"));
    assertThat(admin.get("/v1/deployments?limit=1").body()).hasSize(1);
    assertThat(admin.get("/v1/deployments?state=DONE").status()).isEqualTo(400);
    assertThat(admin.get("/v1/deployments?limit=0").status()).isEqualTo(400);

    JsonNode other =
        admin
            .postJson(
                "/v1/tokens",
                Map.of("name", "shop-viewer", "role", "viewer", "apps", List.of("shop")))
            .body();
    ApiClient shop = new ApiClient(CAST.baseUrl(), other.path("secret").asText());
    assertThat(shop.get("/v1/deployments").body()).as("a token for app shop only").isEmpty();
  }
}
