package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A host whose data dir is a 20 MiB file system (a tmpfs, mounted as root before the server starts)
 * gets a 25 MiB release: the deploy ends within seconds, rolled back with the cause
 * INSUFFICIENT_DISK naming need, free space and where, nothing of it is left on the host's disk,
 * and version 1 keeps serving. Skipped where no tmpfs can be mounted.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DiskFullDeployTest {
  private static final long MIB = 1024 * 1024;
  private static final Path AGENT_DIR = TempDirs.create("cast-diskfull-").resolve("agent");
  private static final boolean MOUNTED = mountSmallDisk(AGENT_DIR);
  private static final CastServerHarness CAST =
      new CastServerHarness(AGENT_DIR, ConfigOverride.config("bundles.maxSize", "64MiB"));
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
    if (MOUNTED) {
      // The agent still holds agent.db open until the extension stops the server: detach now,
      // the kernel frees the file system once the last file closes.
      run("umount", "-l", AGENT_DIR.toString());
    }
  }

  @Test
  void aReleaseLargerThanTheHostsDiskRollsBackAtOnceWithInsufficientDisk() throws Exception {
    assumeTrue(MOUNTED, "needs root to mount a 20 MiB tmpfs as the agent's data dir");
    CAST.deployExample();
    String url = CAST.instanceUrl("hello");
    assertThat(CAST.fetch(url)).startsWith("hello from version 1.0.0");
    JsonNode host = CAST.api().get("/v1/hosts/local").body();
    long free = host.path("freeDiskBytes").asLong();
    assertThat(free)
        .as("free disk of the host, top-level: %s", host)
        .isPositive()
        .isLessThanOrEqualTo(20 * MIB);
    Path ballast = AGENT_DIR.resolve("ballast");
    Files.write(ballast, new byte[(int) (2 * MIB)]);
    assertThat(awaitFreeDiskBelow(free - MIB))
        .as("the next heartbeat tells of the 2 MiB written")
        .isLessThan(free - MIB);
    Files.delete(ballast);
    Path v2 = packWithBlob("2.0.0", 25 * MIB);
    ApiClient.Reply pushed = CAST.api().pushBundle("hello", v2);
    assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(201);
    String sha256 = pushed.body().path("sha256").asText();

    long start = System.nanoTime();
    String id =
        CAST.api()
            .postJson("/v1/apps/hello/deployments", Map.of("version", "2.0.0"))
            .body()
            .path("id")
            .asText();
    JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(2));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("disk full: the deploy ended after %.1f s: %s%n", seconds, done);

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
    assertThat(done.path("cause").asText())
        .contains("StageRelease failed: INSUFFICIENT_DISK")
        .contains("staging hello@2.0.0 needs ")
        .contains(AGENT_DIR.resolve("bundles").toString())
        .contains("MiB free");
    assertThat(seconds).as("not retried until the progress deadline").isLessThan(15);
    Path bundles = AGENT_DIR.resolve("bundles");
    assertThat(bundles.resolve(sha256 + ".tar.gz")).doesNotExist();
    assertThat(bundles.resolve(sha256 + ".tar.gz.part")).doesNotExist();
    assertThat(bundles.resolve("partial").resolve(sha256 + ".tar.gz")).doesNotExist();
    try (Stream<Path> releases = Files.list(AGENT_DIR.resolve("apps/hello/releases"))) {
      assertThat(releases.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("1.0.0", ".1.0.0.sha256");
    }
    assertThat(CAST.fetch(url)).startsWith("hello from version 1.0.0");
  }

  /** The host's free disk as GET /v1/hosts shows it, once below {@code bytes} (10 s at most). */
  private static long awaitFreeDiskBelow(long bytes) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long free;
    do {
      Thread.sleep(200);
      free = CAST.api().get("/v1/hosts").body().get(0).path("freeDiskBytes").asLong();
    } while (free >= bytes && System.nanoTime() < end);
    return free;
  }

  /** examples/hello with a file of random bytes, which no gzip makes smaller. */
  private static Path packWithBlob(String version, long blobBytes) throws Exception {
    Path dir = TempDirs.create("cast-diskfull-src-");
    Path source = dir.resolve("hello");
    Files.createDirectories(source);
    try (Stream<Path> files = Files.list(Path.of("../examples/hello"))) {
      for (Path f : files.toList()) {
        Files.copy(f, source.resolve(f.getFileName()));
      }
    }
    byte[] blob = new byte[(int) blobBytes];
    new Random(7).nextBytes(blob);
    Files.write(source.resolve("blob.bin"), blob);
    Path out = dir.resolve("hello-" + version + ".tar.gz");
    Main.Bundles.pack(source, null, version, out);
    return out;
  }

  private static boolean mountSmallDisk(Path dir) {
    try {
      Files.createDirectories(dir);
      return "root".equals(System.getProperty("user.name"))
          && run("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", dir.toString()) == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
