package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.bundle.FileTrees;
import dev.cast.testkit.Fleet;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An agent killed with {@code kill -9} halfway through staging a bundle over BitTorrent resumes its
 * partial download once it restarts: the api, the only source, sends the missing part, not the
 * whole bundle again.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StagingResumeTest {
  /** 12 MiB at two sources (seeder and web seed) capped at 512 KiB/s each: about 12 s. */
  private static final int BLOB_BYTES = 12 << 20;

  private static final CastServerHarness CAST =
      new CastServerHarness(
          ConfigOverride.config("deploy.unreachableAfter", "20s"),
          ConfigOverride.config("bundles.uploadRate", "512KiB"),
          ConfigOverride.config("bundles.maxSize", "64MiB"));
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static final Pattern RESUMING =
      Pattern.compile("resuming (\\S+) with (\\d+) of (\\d+) bytes already here");
  private static Fleet fleet;
  private static Path sources;

  @AfterAll
  static void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
      FileTrees.deleteRecursively(fleet.baseDir());
    }
    CAST.killServices();
    if (sources != null) {
      FileTrees.deleteRecursively(sources);
    }
  }

  @Test
  void anAgentKilledMidDownloadResumesItsPartialBundleAfterItRestarts() throws Exception {
    CAST.awaitHost();
    fleet = CAST.fleet();
    Fleet.Host host = fleet.add("resume-1", Map.of("role", "resume"));
    fleet.awaitRegistered(host);
    JsonNode pushed = push("1.0.0");
    long size = pushed.path("size").asLong();
    long before = sent();

    JsonNode started =
        CAST.api()
            .postJson(
                "/v1/apps/hello/deployments",
                Map.of("version", "1.0.0", "selector", Map.of("role", "resume")))
            .body();
    String id = started.path("id").asText();
    assertThat(id).as(started.toString()).isNotEmpty();

    // What the api sent is all the agent can have: it is the only source.
    long sentAtKill = awaitSent(before + size / 2, Duration.ofMinutes(1)) - before;
    assertThat(sentAtKill).as("bytes the api sent before the kill").isGreaterThan(size / 2);
    // The host's fetch as its agent reports it, what `cast deploy` draws as a progress bar.
    JsonNode fetch = awaitFetch(id, "resume-1");
    assertThat(fetch.path("totalBytes").asLong()).as(fetch.toString()).isEqualTo(size);
    assertThat(fetch.path("bytes").asLong()).as(fetch.toString()).isPositive();
    assertThat(fetch.path("source").asText()).isEqualTo("torrent");
    host.kill9();
    Path partialDir = host.dataDir().resolve("bundles/partial");
    assertThat(partialFiles(partialDir)).as("the partial download the kill left").hasSize(1);
    Thread.sleep(1_000);
    long sentBeforeRestart = sent() - before;
    host.restart();

    JsonNode done = CAST.api().awaitDeployment(id, Duration.ofMinutes(2));

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    long sentAfterRestart = sent() - before - sentBeforeRestart;
    System.out.printf(
        "bundle %d bytes: the api sent %d before the kill and %d after the restart (%.2f bundles)%n",
        size,
        sentBeforeRestart,
        sentAfterRestart,
        (sentBeforeRestart + sentAfterRestart) / (double) size);
    // Starting over would take a whole bundle after the restart, 1.5 bundles in all.
    assertThat(sentAfterRestart)
        .as("bytes the api sent after the restart, of a %d byte bundle", size)
        .isLessThan(size * 3 / 4);
    assertThat(sentBeforeRestart + sentAfterRestart).isLessThan(size * 13 / 10);
    String log = host.log();
    Matcher resumed = RESUMING.matcher(log);
    assertThat(resumed.find()).as("the agent logs that it resumed; its log:%n%s", log).isTrue();
    assertThat(Long.parseLong(resumed.group(2)))
        .as("bytes already there when it resumed")
        .isGreaterThan(size / 3);
    assertThat(Long.parseLong(resumed.group(3))).isEqualTo(size);
    assertThat(partialFiles(partialDir)).as("nothing left in bundles/partial").isEmpty();
    assertThat(done.path("staging").isNull()).as("no fetch shown once it ended").isTrue();
    // What the host received was counted by sender in both runs of its agent (less what the
    // first run received after its last report, at most half a second's worth), and only once.
    assertThat(stagedBytesCounted())
        .as("cast_staging_bytes_total, of a %d byte bundle", size)
        .isBetween(size * 3 / 4, size * 13 / 10);
    String sha256 = pushed.path("sha256").asText();
    assertThat(host.dataDir().resolve("bundles/" + sha256 + ".torrent"))
        .as("fetched over BitTorrent")
        .exists();
    assertThat(host.dataDir().resolve("apps/hello/current").toRealPath().getFileName().toString())
        .isEqualTo("1.0.0");
  }

  /** The deployment's view of {@code host}'s fetch, once its agent has reported one. */
  private static JsonNode awaitFetch(String id, String host) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      JsonNode view = CAST.api().get("/v1/deployments/" + id).body();
      JsonNode fetch = view.path("staging").path(host);
      if (fetch.isObject() || System.nanoTime() > end) {
        assertThat(fetch.isObject()).as("a fetch of %s in %s", host, view).isTrue();
        return fetch;
      }
      Thread.sleep(100);
    }
  }

  /** The sum of {@code cast_staging_bytes_total} over its sources, from the admin port. */
  private static long stagedBytesCounted() throws Exception {
    return CAST.scrapeMetrics()
        .body()
        .lines()
        .filter(line -> line.startsWith("cast_staging_bytes_total{"))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Pushes examples/hello with an incompressible blob beside it; returns the api's answer. */
  private static JsonNode push(String version) throws Exception {
    sources = TempDirs.create("cast-resume-");
    Path source = Files.createDirectories(sources.resolve("app"));
    Files.copy(EXAMPLE.resolve("Hello.java"), source.resolve("Hello.java"));
    byte[] blob = new byte[BLOB_BYTES];
    new Random(7).nextBytes(blob);
    Files.write(source.resolve("blob.bin"), blob);
    Path manifest = sources.resolve("cast.yml");
    Files.copy(EXAMPLE.resolve("cast.yml"), manifest);
    Path bundle = sources.resolve("hello-" + version + ".tar.gz");
    Main.Bundles.pack(source, manifest, version, bundle);
    ApiClient.Reply pushed = CAST.api().pushBundle("hello", bundle);
    assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(201);
    return pushed.body();
  }

  /** Bundle bytes the api has sent, over BitTorrent and HTTP. */
  private static long sent() throws Exception {
    JsonNode counters = CAST.api().get("/v1/distribution").body();
    return counters.path("seederUploadedBytes").asLong()
        + counters.path("httpBundleBytesServed").asLong();
  }

  /** Waits until the api has sent more than {@code bytes}; returns what it sent by then. */
  private static long awaitSent(long bytes, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    long sent = sent();
    while (sent <= bytes && System.nanoTime() < end) {
      Thread.sleep(100);
      sent = sent();
    }
    return sent;
  }

  private static List<Path> partialFiles(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
