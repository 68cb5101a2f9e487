package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A release whose bundle the api can only deliver corrupt: the api's stored file of version 2 is
 * damaged after the push, so its seeder, its web seed and the HTTP fallback all have wrong bytes.
 * The deploy fails on the sha256 check, in bounded time, before anything of version 2 is unpacked,
 * and version 1 keeps serving.
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
        .contains("expected " + sha256);
    assertThat(done.path("hosts").get(0).path("state").asText()).isEqualTo("failed");
    // One attempt (about the 5 s stall timeout, then HTTP): retries would take minutes.
    assertThat(seconds).as("a checksum mismatch is not retried").isLessThan(45);
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
