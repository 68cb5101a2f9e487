package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A release whose bundle is damaged on the api's disk after the push. The api checks a stored
 * bundle's sha256 (once per state of the file) before it serves it or its torrent, and refuses with
 * STORED_BUNDLE_CORRUPT; the agent takes that as a permanent checksum failure. The deploy fails at
 * once, before anything of version 2 is unpacked, version 1 keeps serving, and pushing the same
 * bytes again repairs the stored bundle.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CorruptBundleTest {
  private static final CastServerHarness CAST =
      new CastServerHarness(ConfigOverride.config("agent.torrent.stallTimeout", "5s"));
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  @Test
  void aBundleWhoseSha256DoesNotMatchIsNeverUnpackedAndTheOldVersionKeepsServing()
      throws Exception {
    CAST.deployExample();
    String url = CAST.instanceUrl("hello");
    assertThat(CAST.fetch(url)).startsWith("hello from version 1.0.0");
    Path v2 = TempDirs.create("cast-corrupt-").resolve("hello-2.0.0.tar.gz");
    Main.Bundles.pack(Path.of("../examples/hello"), null, "2.0.0", v2);
    ApiClient.Reply pushed = CAST.api().pushBundle("hello", v2);
    assertThat(pushed.status()).isEqualTo(201);
    String sha256 = pushed.body().path("sha256").asText();
    Path stored = CAST.dataDir.resolve("bundles").resolve(sha256 + ".tar.gz");
    assertThat(stored).hasSameBinaryContentAs(v2);
    flipOneByte(stored);

    long start = System.nanoTime();
    String id =
        CAST.api()
            .postJson("/v1/apps/hello/deployments", Map.of("version", "2.0.0"))
            .body()
            .path("id")
            .asText();
    JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(2));
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    System.out.printf("corrupt bundle: the deploy ended after %d s: %s%n", seconds, done);

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("cause").asText())
        .contains("StageRelease failed: BUNDLE_CHECKSUM_MISMATCH")
        .contains("the stored bundle of hello@2.0.0 is corrupt (sha256 ")
        .contains("expected " + sha256 + "); push it again");
    assertThat(done.path("hosts").get(0).path("state").asText()).isEqualTo("failed");
    // The api says so at once: no torrent stall (5 s here, 30 s by default), no retries.
    assertThat(seconds).as("refused by the api, not retried").isLessThan(15);
    Path app = CAST.dataDir.resolve("agent/apps/hello");
    try (Stream<Path> releases = Files.list(app.resolve("releases"))) {
      assertThat(releases.map(p -> p.getFileName().toString()))
          .as("nothing of 2.0.0, not even a partial unpack")
          .containsExactlyInAnyOrder("1.0.0", ".1.0.0.sha256");
    }
    Path bundles = CAST.dataDir.resolve("agent/bundles");
    assertThat(bundles.resolve(sha256 + ".tar.gz")).doesNotExist();
    assertThat(bundles.resolve(sha256 + ".tar.gz.part")).doesNotExist();
    assertThat(Files.readSymbolicLink(app.resolve("current")).toString()).endsWith("1.0.0");
    assertThat(CAST.fetch(url)).startsWith("hello from version 1.0.0");
    JsonNode current = CAST.api().get("/v1/apps/hello").body().path("current").get(0);
    assertThat(current.path("version").asText()).isEqualTo("1.0.0");

    for (String what : new String[] {"bundle", "torrent"}) {
      ApiClient.Reply refused = CAST.api().get("/v1/apps/hello/releases/2.0.0/" + what);
      assertThat(refused.status()).as(what).isEqualTo(500);
      assertThat(refused.body().path("type").asText()).endsWith("/STORED_BUNDLE_CORRUPT");
      assertThat(refused.body().path("detail").asText())
          .startsWith("the stored bundle of hello@2.0.0 is corrupt (sha256 ")
          .endsWith(", expected " + sha256 + "); push it again");
    }

    ApiClient.Reply again = CAST.api().pushBundle("hello", v2);
    assertThat(again.status()).as("the same bytes again").isEqualTo(200);
    assertThat(stored).hasSameBinaryContentAs(v2);
    HttpResponse<byte[]> bundle =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + APP.getLocalPort()
                                + "/v1/apps/hello/releases/2.0.0/bundle"))
                    .header("Authorization", CAST.authorization())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.body()).isEqualTo(Files.readAllBytes(v2));
  }

  /** Inverts one byte in the middle, keeping the size, as a failing disk would. */
  private static void flipOneByte(Path file) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long at = raf.length() / 2;
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(~b);
    }
  }
}
