package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cast.activities.bundle.BundleFetcher;
import dev.cast.activities.bundle.BundleSource;
import dev.cast.activities.bundle.FetchProgress;
import dev.cast.activities.bundle.HttpBundleFetcher;
import dev.cast.activities.bundle.TorrentBundleFetcher;
import dev.cast.testkit.Fleet;
import dev.cast.testkit.TempDirs;
import dev.cast.torrent.Metainfo;
import dev.cast.torrent.Share;
import dev.cast.torrent.TorrentPeer;
import dev.cast.torrent.Tracker;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cast and a BitTorrent client nobody here wrote, Debian's Transmission 3 ({@code
 * transmission-cli}): the agent's BitTorrent fetch downloads a release whose only source is a
 * Transmission seed; Transmission downloads a release by the .torrent URL the api serves; and the
 * api's libtorrent seeder, found through the api's tracker, feeds Transmission when the torrent has
 * no web seed.
 *
 * <p>Transmission rechokes (decides whom to unchoke, and which peers it wants pieces from) every 10
 * s, so each transfer with it starts several seconds after the connection.
 *
 * <p>Transmission 3 ignores peers at loopback addresses, so it runs on a machine of its own: a
 * network namespace of a {@link Fleet}, reaching the api (and reached by Cast's peers) at the
 * fleet's gateway address. Skipped, saying why, where {@code transmission-cli} is not installed or
 * network namespaces are unavailable.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransmissionInteropTest {
  private static final CastServerHarness CAST =
      new CastServerHarness(ConfigOverride.config("bundles.maxSize", "64MiB"));
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final Path EXAMPLE = Path.of("../examples/hello");
  private static final String VERSION = "1.0.0";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Fleet fleet;
  private static Fleet.Machine machine;
  private static Path work;
  private static Path bundle;
  private static JsonNode release;

  /** Why the tests cannot run here, or null. */
  private static String skipped;

  @BeforeAll
  static void pushAReleaseAndStartAMachine() throws Exception {
    String missing = transmissionMissing();
    if (missing != null) {
      skip(
          "transmission-cli cannot run ("
              + missing
              + "); install it with apt-get install transmission-cli, as .ci/run does");
      return;
    }
    fleet = CAST.fleet();
    if (!fleet.isolated()) {
      skip(
          "Transmission 3 ignores peers at loopback addresses, so it needs a network namespace: "
              + fleet.whyNotIsolated());
      return;
    }
    machine = fleet.addMachine();
    work = TempDirs.create("cast-transmission-");

    // 4 MiB that do not compress beside the app: hundreds of pieces cross the wire.
    Path source = Files.createDirectories(work.resolve("source"));
    Files.copy(EXAMPLE.resolve("Hello.java"), source.resolve("Hello.java"));
    byte[] blob = new byte[4 << 20];
    new Random(3).nextBytes(blob);
    Files.write(source.resolve("blob.bin"), blob);
    bundle = work.resolve("hello-" + VERSION + ".tar.gz");
    Main.Bundles.pack(source, EXAMPLE.resolve("cast.yml"), VERSION, bundle);
    ApiClient.Reply pushed = CAST.api().pushBundle("hello", bundle);
    assertThat(pushed.status()).as(pushed.body().toString()).isEqualTo(201);
    release = pushed.body();
    assertThat(CAST.api().get("/v1/distribution").body().path("bittorrent").asText())
        .isEqualTo("available");
  }

  /**
   * Says why in each test rather than in {@link #pushAReleaseAndStartAMachine}: Surefire reports a
   * class whose {@code @BeforeAll} was aborted as zero tests run, and drops the reason.
   */
  @BeforeEach
  void skipWhereTransmissionCannotRun() {
    Assumptions.assumeTrue(skipped == null, skipped);
  }

  private static void skip(String why) {
    skipped = why;
    System.err.println("TransmissionInteropTest skips: " + why);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    CAST.killServices();
  }

  /** First, while the api has sent nothing, so its counters show it sent nothing here either. */
  @Test
  @Order(1)
  void anAgentDownloadsAReleaseWhoseOnlySourceIsTransmission() throws Exception {
    String sha256 = release.path("sha256").asText();
    long size = release.path("size").asLong();
    Metainfo fromApi = apiTorrent();
    JsonNode before = CAST.api().get("/v1/distribution").body();

    try (SoleTracker sole = new SoleTracker(URI.create(fleet.apiUrlForHosts()).getHost())) {
      // The api's torrent with the sole tracker and no web seed: the same info-hash, and nothing
      // but the tracker's peers to download from.
      byte[] torrent = fromApi.withUrls(sole.base() + Tracker.ANNOUNCE_PATH, List.of());
      sole.serve(release.path("torrent").asText(), torrent);
      Path seedDir = work.resolve("seed");
      Files.createDirectories(seedDir.resolve("downloads"));
      Files.copy(bundle, seedDir.resolve("downloads").resolve(sha256 + ".tar.gz"));
      Path torrentFile = Files.write(seedDir.resolve("release.torrent"), torrent);

      try (Transmission seed = Transmission.start(seedDir, torrentFile.toString())) {
        await(
            "Transmission checked the file and announced itself as a seed",
            seed,
            () -> sole.seeders(fromApi.infoHash()) == 1);

        List<FetchProgress> progress = new CopyOnWriteArrayList<>();
        Path target = work.resolve("agent").resolve(sha256 + ".tar.gz");
        try (TorrentPeer agentPeer = TorrentPeer.start(TorrentPeer.Options.defaults())) {
          new TorrentBundleFetcher(
                  new HttpBundleFetcher(URI.create(sole.base())),
                  agentPeer,
                  work.resolve("agent").resolve("partial"),
                  TIMEOUT)
              .fetch(
                  new BundleSource(bundlePath(), release.path("torrent").asText()),
                  target,
                  Share.WHOLE,
                  progress::add);
        }

        assertThat(sha256(target)).isEqualTo(sha256);
        assertThat(BundleFetcher.torrentFile(target))
            .as("written only when BitTorrent, not HTTP, fetched it")
            .hasBinaryContent(torrent);
        assertThat(progress).isNotEmpty().allMatch(p -> p.source().equals("torrent"));
        assertThat(progress.get(progress.size() - 1).bytes()).isEqualTo(size);
        assertThat(sole.otherRequests).as("requests besides torrent and tracker").isEmpty();
        assertThat(sole.peers.keySet())
            .as("peer ids that announced")
            .hasSize(2)
            .filteredOn(id -> id.startsWith("-TR3"))
            .hasSize(1);
        await(
            "Transmission reports it uploaded the whole file",
            seed,
            () -> sole.uploadedByTransmission() >= size);
      }
    }
    JsonNode after = CAST.api().get("/v1/distribution").body();
    assertThat(after.path("seederUploadedBytes").asLong())
        .as("what the api's seeder sent")
        .isEqualTo(before.path("seederUploadedBytes").asLong());
    assertThat(after.path("httpBundleBytesServed").asLong())
        .as("what the api served over HTTP")
        .isEqualTo(before.path("httpBundleBytesServed").asLong());
  }

  @Test
  @Order(2)
  void transmissionDownloadsAReleaseByTheTorrentUrlTheApiServes() throws Exception {
    String sha256 = release.path("sha256").asText();
    String infoHash = release.path("infoHash").asText();
    JsonNode before = CAST.api().get("/v1/distribution").body();
    // Transmission fetches the .torrent itself, at the address it reaches the api at. It sends no
    // token: the URL carries the release's capability, as the one the api hands its agents does.
    String signed = apiTorrent().webSeeds().get(0);
    String torrentUrl =
        fleet.apiUrlForHosts()
            + release.path("torrent").asText()
            + signed.substring(signed.indexOf('?'));

    try (Transmission transmission = Transmission.start(work.resolve("by-url"), torrentUrl)) {
      await("Transmission finished " + torrentUrl, transmission, transmission::finished);

      assertThat(sha256(transmission.downloads().resolve(sha256 + ".tar.gz"))).isEqualTo(sha256);
      Metainfo used = transmission.torrent();
      assertThat(used.infoHash()).isEqualTo(infoHash);
      assertThat(used.announce()).isEqualTo(fleet.apiUrlForHosts() + Tracker.ANNOUNCE_PATH);
      assertThat(used.webSeeds()).hasSize(1);
      assertThat(used.webSeeds().get(0))
          .startsWith(fleet.apiUrlForHosts() + bundlePath() + "?cap=");
      long completedBefore = before.path("swarms").path(infoHash).path("completed").asLong();
      await(
          "the api's tracker counts Transmission's completed download",
          transmission,
          () -> swarm(infoHash).path("completed").asLong() > completedBefore);
      // libtorrent adds up what it sent once a second: wait for the counters to catch up.
      await(
          "the api counts what it sent Transmission",
          transmission,
          () -> {
            JsonNode now = CAST.api().get("/v1/distribution").body();
            return delta(before, now, "seederUploadedBytes")
                    + delta(before, now, "httpBundleBytesServed")
                >= release.path("size").asLong();
          });
      JsonNode after = CAST.api().get("/v1/distribution").body();
      long seeded = delta(before, after, "seederUploadedBytes");
      long served = delta(before, after, "httpBundleBytesServed");
      System.out.printf(
          "Transmission got %d bytes by the torrent's URL: the api's seeder sent %d over"
              + " BitTorrent, the web seed %d over HTTP%n",
          release.path("size").asLong(), seeded, served);
    }
  }

  @Test
  @Order(3)
  void theApisSeederFeedsTransmissionThroughTheApisTracker() throws Exception {
    String sha256 = release.path("sha256").asText();
    long size = release.path("size").asLong();
    String infoHash = release.path("infoHash").asText();
    // The api's torrent without its web seed: the only source left is what the tracker hands out.
    Metainfo fromApi = apiTorrent();
    Path dir = Files.createDirectories(work.resolve("tracker-only"));
    Path torrent = dir.resolve("release.torrent");
    Files.write(torrent, fromApi.withUrls(fromApi.announce(), List.of()));
    JsonNode before = CAST.api().get("/v1/distribution").body();

    try (Transmission transmission = Transmission.start(dir, torrent.toString())) {
      await("Transmission finished " + torrent, transmission, transmission::finished);

      assertThat(sha256(transmission.downloads().resolve(sha256 + ".tar.gz"))).isEqualTo(sha256);
      assertThat(transmission.torrent().infoHash()).isEqualTo(infoHash);
      // libtorrent adds up what it sent once a second: wait for the counter to catch up.
      await(
          "the api's seeder counts the whole file as sent",
          transmission,
          () ->
              delta(before, CAST.api().get("/v1/distribution").body(), "seederUploadedBytes")
                  >= size);
      JsonNode after = CAST.api().get("/v1/distribution").body();
      assertThat(delta(before, after, "httpBundleBytesServed")).as("HTTP").isZero();
    }
  }

  // --- helpers

  /** Why transmission-cli (under coreutils' stdbuf) cannot run here, or null when it can. */
  private static String transmissionMissing() {
    try {
      Process version =
          new ProcessBuilder("stdbuf", "-o0", "transmission-cli", "--version")
              .redirectErrorStream(true)
              .start();
      String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!version.waitFor(30, TimeUnit.SECONDS)) {
        version.destroyForcibly();
        return "transmission-cli --version did not answer";
      }
      return version.exitValue() == 0 ? null : "transmission-cli --version: " + out.strip();
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The release's bundle path on the api, beside its torrent. */
  private static String bundlePath() {
    return release.path("torrent").asText().replaceAll("/torrent$", "/bundle");
  }

  private static long delta(JsonNode before, JsonNode after, String counter) {
    return after.path(counter).asLong() - before.path(counter).asLong();
  }

  private static JsonNode swarm(String infoHash) throws Exception {
    return CAST.api().get("/v1/distribution").body().path("swarms").path(infoHash);
  }

  /** The release's torrent as the api hands it to hosts. */
  private static Metainfo apiTorrent() throws Exception {
    return Metainfo.parse(get(fleet.apiUrlForHosts() + release.path("torrent").asText()));
  }

  private static byte[] get(String url) throws Exception {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", CAST.authorization())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
    return response.body();
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Something {@link #await} waits for. */
  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Waits until {@code done} holds; fails with Transmission's output when it never does. */
  private static void await(String what, Transmission transmission, Condition done)
      throws Exception {
    long end = System.nanoTime() + TIMEOUT.toNanos();
    while (!done.holds()) {
      if (!transmission.process.isAlive() || System.nanoTime() > end) {
        throw new AssertionError(
            "not within " + TIMEOUT.toSeconds() + " s: " + what + "; " + transmission.logTail());
      }
      Thread.sleep(200);
    }
  }

  /**
   * One {@code transmission-cli} on the machine, with its own settings, download dir and log. Its
   * settings turn off what a private LAN swarm does not use: uTP (Cast's peers speak TCP only, and
   * Transmission would try uTP first), DHT, local peer discovery, peer exchange and port mapping.
   * Its status line goes to the log unbuffered ({@code stdbuf -o0}), for failure messages.
   */
  private static final class Transmission implements AutoCloseable {
    private static final String SETTINGS =
        """
        {
          "utp-enabled": false,
          "dht-enabled": false,
          "lpd-enabled": false,
          "pex-enabled": false,
          "port-forwarding-enabled": false,
          "rpc-enabled": false,
          "blocklist-enabled": false,
          "peer-port": 51413,
          "peer-port-random-on-start": false,
          "ratio-limit-enabled": false,
          "idle-seeding-limit-enabled": false,
          "message-level": 3
        }
        """;
    private final Path dir;
    private final Process process;

    private Transmission(Path dir, Process process) {
      this.dir = dir;
      this.process = process;
    }

    /** Starts it on the machine for {@code torrent}, a .torrent file or its URL. */
    static Transmission start(Path dir, String torrent) throws IOException {
      Path config = Files.createDirectories(dir.resolve("config"));
      Files.createDirectories(dir.resolve("downloads"));
      Files.writeString(config.resolve("settings.json"), SETTINGS);
      Path script = dir.resolve("finished.sh");
      Files.writeString(script, "#!/bin/sh\ntouch '" + dir.resolve("finished") + "'\n");
      assertThat(script.toFile().setExecutable(true)).isTrue();
      Process process =
          machine
              .command(
                  "stdbuf",
                  "-o0",
                  "transmission-cli",
                  "--config-dir",
                  config.toString(),
                  "--download-dir",
                  dir.resolve("downloads").toString(),
                  "--finish",
                  script.toString(),
                  torrent)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("transmission.log").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      return new Transmission(dir, process);
    }

    Path downloads() {
      return dir.resolve("downloads");
    }

    /** Whether it ran its script for a finished download. */
    boolean finished() {
      return Files.exists(dir.resolve("finished"));
    }

    /** The torrent it works on, as it keeps it in its config dir. */
    Metainfo torrent() throws IOException {
      try (Stream<Path> files = Files.list(dir.resolve("config").resolve("torrents"))) {
        List<Path> torrents = files.filter(f -> f.toString().endsWith(".torrent")).toList();
        assertThat(torrents).hasSize(1);
        return Metainfo.parse(Files.readAllBytes(torrents.get(0)));
      }
    }

    String logTail() {
      try {
        String log = Files.readString(dir.resolve("transmission.log")).replace('\r', '\n');
        return "transmission-cli"
            + (process.isAlive() ? "" : " exited " + process.exitValue())
            + ", its output:\n"
            + (log.length() > 4000 ? "…" + log.substring(log.length() - 4000) : log);
      } catch (IOException e) {
        return "its output is unreadable: " + e;
      }
    }

    /** SIGTERM (it tells its trackers it stopped), SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A tracker that knows only the peers announcing to it, with the release's torrent beside it: the
   * api's part in a download minus the api's own seeder and web seed. It asks for a re-announce
   * every 3 s and records, per peer id, the highest {@code uploaded} reported; any other request is
   * recorded and answered 404 (so an HTTP fallback fails, and shows).
   */
  private static final class SoleTracker implements AutoCloseable {
    final Tracker tracker = new Tracker(Duration.ofSeconds(3), Clock.systemUTC());
    final Map<String, Long> peers = new ConcurrentHashMap<>();
    final List<String> otherRequests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile String torrentPath;
    private volatile byte[] torrent;

    SoleTracker(String address) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
      server.createContext(Tracker.ANNOUNCE_PATH, this::announce);
      server.createContext(
          Tracker.SCRAPE_PATH,
          ex -> reply(ex, 200, tracker.scrape(ex.getRequestURI().getRawQuery())));
      server.createContext(
          "/",
          ex -> {
            boolean isTorrent = ex.getRequestURI().getPath().equals(torrentPath);
            if (!isTorrent) {
              otherRequests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            }
            reply(ex, isTorrent ? 200 : 404, isTorrent ? torrent : new byte[0]);
          });
      server.start();
    }

    String base() {
      return "http://"
          + server.getAddress().getAddress().getHostAddress()
          + ":"
          + server.getAddress().getPort();
    }

    void serve(String path, byte[] torrent) {
      this.torrent = torrent;
      this.torrentPath = path;
      tracker.allow(Metainfo.parse(torrent).infoHash());
    }

    int seeders(String infoHash) {
      return tracker.stats(infoHash).map(Tracker.SwarmStats::seeders).orElse(0);
    }

    long uploadedByTransmission() {
      return peers.entrySet().stream()
          .filter(e -> e.getKey().startsWith("-TR"))
          .mapToLong(Map.Entry::getValue)
          .max()
          .orElse(0);
    }

    private void announce(HttpExchange ex) throws IOException {
      String query = ex.getRequestURI().getRawQuery();
      String peerId = param(query, "peer_id");
      if (peerId != null) {
        String uploaded = param(query, "uploaded");
        peers.merge(peerId, uploaded == null ? 0 : Long.parseLong(uploaded), Math::max);
      }
      reply(ex, 200, tracker.announce(query, ex.getRemoteAddress().getAddress()));
    }

    private static String param(String rawQuery, String name) {
      for (String pair : (rawQuery == null ? "" : rawQuery).split("&")) {
        if (pair.startsWith(name + "=")) {
          return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
