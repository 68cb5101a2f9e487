package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.bundle.NameRules;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The name rules are one contract between the api, which accepts a push, and the hosts, which turn
 * names into paths: a release whose names sit at the edge of every rule (the longest app, version
 * and service names, a version starting with '_' and one starting with '-') is pushed, deployed,
 * run and rolled back, and one step past an edge is refused at push.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class NameEdgesTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;

  /** 63 characters, the longest app name: a letter, then letters, digits and '-'. */
  private static final String APP_NAME = "a" + "0-".repeat(30) + "zz";

  /** 63 characters, the longest service name, with both '_' and '-'. */
  private static final String SERVICE = "s" + "_-".repeat(30) + "9z";

  /** 64 characters, the longest version, starting with '_' and holding each allowed sign. */
  private static final String LONGEST = "_" + "1.2-rc+b".repeat(7) + "x.y+z-9";

  /** A version a command line could take for an option, were it ever passed unquoted. */
  private static final String DASHED = "-1";

  private static Path bundles;

  @BeforeAll
  static void pack() throws Exception {
    assertThat(APP_NAME).hasSize(63);
    assertThat(SERVICE).hasSize(63);
    assertThat(LONGEST).hasSize(64);
    assertThat(NameRules.isApp(APP_NAME)).isTrue();
    assertThat(NameRules.isService(SERVICE)).isTrue();
    assertThat(NameRules.isVersion(LONGEST)).isTrue();
    assertThat(NameRules.isVersion(DASHED)).isTrue();
    bundles = TempDirs.create("cast-edges-");
    Path source = bundles.resolve("src");
    Files.createDirectories(source);
    Files.writeString(
        source.resolve("cast.yml"),
        "name: "
            + APP_NAME
            + "\nversion: 0\nservices:\n  "
            + SERVICE
            + ":\n    command: [\"sleep\", \"600\"]\n    stop: {signal: TERM, grace: 2s}\n");
    Main.Bundles.pack(source, null, LONGEST, bundles.resolve("longest.tar.gz"));
    Main.Bundles.pack(source, null, DASHED, bundles.resolve("dashed.tar.gz"));
    CAST.awaitHost();
  }

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  @Test
  void aReleaseAtTheEdgeOfEveryRuleIsPushedDeployedRunAndRolledBack() throws Exception {
    assertThat(push("longest.tar.gz").status()).isEqualTo(201);
    assertThat(push("dashed.tar.gz").status()).isEqualTo(201);

    assertThat(deploy(LONGEST)).isEqualTo(LONGEST);
    assertThat(deploy(DASHED)).isEqualTo(DASHED);

    ApiClient.Reply rollback = CAST.api().postJson("/v1/apps/" + APP_NAME + "/rollback", Map.of());
    assertThat(rollback.status()).as(rollback.body().toString()).isEqualTo(202);
    JsonNode done =
        CAST.api().awaitDeployment(rollback.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(running()).isEqualTo(LONGEST);
  }

  @Test
  void oneStepPastAnEdgeIsRefusedAtPush() throws Exception {
    // The packer refuses a 65-character version itself; the api refuses a 64-character app name.
    ApiClient.Reply pushed =
        CAST.api().pushBundle(APP_NAME + "a", bundles.resolve("longest.tar.gz"));

    assertThat(pushed.status()).isEqualTo(400);
    assertThat(pushed.body().path("detail").asText()).contains("64 characters long");
  }

  private static ApiClient.Reply push(String file) throws Exception {
    return CAST.api().pushBundle(APP_NAME, bundles.resolve(file));
  }

  /** Deploys a version, waits for it to succeed, and answers the version its service runs. */
  private static String deploy(String version) throws Exception {
    ApiClient.Reply started =
        CAST.api().postJson("/v1/apps/" + APP_NAME + "/deployments", Map.of("version", version));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode done =
        CAST.api().awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    return running();
  }

  /** The version the service runs on the one host, as the host reports it. */
  private static String running() throws Exception {
    ApiClient.Reply service = CAST.api().get("/v1/apps/" + APP_NAME + "/services/" + SERVICE);
    assertThat(service.status()).as(service.body().toString()).isEqualTo(200);
    JsonNode host = service.body().path("hosts").get(0);
    assertThat(host.path("state").asText()).as(host.toString()).isEqualTo("running");
    return host.path("version").asText();
  }
}
