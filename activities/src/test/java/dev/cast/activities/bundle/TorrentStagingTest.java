package dev.cast.activities.bundle;

import static dev.cast.activities.testing.Failures.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cast.activities.host.HostLayout;
import dev.cast.activities.testing.TestHost;
import dev.cast.bundle.BundleInfo;
import dev.cast.bundle.Digests;
import dev.cast.torrent.Metainfo;
import dev.cast.torrent.Progress;
import dev.cast.torrent.TorrentCreator;
import dev.cast.torrent.TorrentNative;
import dev.cast.torrent.TorrentPeer;
import dev.cast.torrent.Tracker;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.StageRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.host.StagingReport;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging over BitTorrent with real libtorrent sessions: a seeder peer and a JDK HTTP server
 * playing the api (tracker, {@code /torrent}, {@code /bundle}).
 */
class TorrentStagingTest {
  private static final String APP = "x";
  private static final String VERSION = "1";
  private static final String BUNDLE_PATH = TestHost.bundlePath(APP, VERSION);
  private static final String TORRENT_PATH =
      "/v1/apps/" + APP + "/releases/" + VERSION + "/torrent";
  private static final String CAST_YML =
      """
      name: x
      version: "1"
      services:
        web:
          command: ["sleep", "1000"]
      """;

  @TempDir Path root;
  private FakeApi api;
  private TorrentPeer seeder;
  private TorrentPeer agentPeer;
  private BundleSeeder agentSeeder;
  private TestHost host;
  private Duration stallTimeout = Duration.ofSeconds(20);
  private Path mounted;

  @BeforeAll
  static void loadNative() {
    TorrentNative.Availability a = TorrentNative.load(Path.of("target", "native-cache"));
    assertThat(a.available()).as(a.reason()).isTrue();
  }

  // What StageRelease reports for the api, as an agent would send it.
  private final List<StagingReport> reports = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    api = new FakeApi();
    seeder = TorrentPeer.start(TorrentPeer.Options.defaults().withListenInterfaces("127.0.0.1:0"));
    agentPeer =
        TorrentPeer.start(TorrentPeer.Options.defaults().withListenInterfaces("127.0.0.1:0"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
    if (agentSeeder != null) {
      agentSeeder.close();
    }
    agentPeer.close();
    seeder.close();
    api.close();
    if (mounted != null && run("umount", mounted.toString()) != 0) {
      run("umount", "-l", mounted.toString());
    }
  }

  private void startHost() throws IOException {
    host =
        new TestHost(
            root,
            settings -> {
              HostLayout layout = settings.layout();
              agentSeeder = new BundleSeeder(agentPeer, layout, Duration.ofMinutes(5));
              BundleFetcher fetcher =
                  new TorrentBundleFetcher(
                      new HttpBundleFetcher(URI.create(api.base())),
                      agentPeer,
                      layout.partialBundlesDir(),
                      stallTimeout);
              return new BundleCache(layout, fetcher, agentSeeder, Long.MAX_VALUE);
            });
    host.runtime.releaseActivities().reportStagingWith(reports::add);
  }

  /** Packs the release, serves it as the api's bundle and returns it, named as in the torrent. */
  private BundleInfo pack() throws Exception {
    startHost();
    String filler = HexFormat.of().formatHex(randomBytes(1 << 20, 1));
    BundleInfo info = host.pack(APP, VERSION, CAST_YML, Map.of("filler.txt", filler));
    Path seedDir = Files.createDirectories(root.resolve("seed"));
    Path named = seedDir.resolve(info.sha256() + ".tar.gz");
    Files.copy(root.resolve("packed").resolve(APP + "-" + VERSION + ".tar.gz"), named);
    api.bundle = named;
    return info;
  }

  private Metainfo torrentOf(Path file) {
    Metainfo torrent =
        TorrentCreator.of(file).announce(api.base() + Tracker.ANNOUNCE_PATH).create();
    api.tracker.allow(torrent.infoHash());
    api.torrent = torrent.bytes();
    return torrent;
  }

  private StagedRelease stage(BundleInfo info) {
    return host.activities.stageRelease(
        new StageRequest(APP, VERSION, info.sha256(), info.size(), BUNDLE_PATH, TORRENT_PATH));
  }

  @Test
  void stagesAVerifiedBundleFetchedFromAPeerAndSeedsIt() throws Exception {
    BundleInfo info = pack();
    Metainfo torrent = torrentOf(api.bundle);
    seeder.seed(torrent.bytes(), api.bundle.getParent());
    List<FetchProgress> heartbeats = new CopyOnWriteArrayList<>();
    host.env.setActivityHeartbeatListener(FetchProgress.class, heartbeats::add);

    StagedRelease staged = stage(info);

    HostLayout layout = host.settings.layout();
    assertThat(staged.fetched()).isTrue();
    assertThat(host.app(APP).releaseDir(VERSION).resolve("cast.yml")).exists();
    assertThat(layout.bundle(info.sha256())).exists();
    assertThat(layout.bundleTorrent(info.sha256())).hasBinaryContent(torrent.bytes());
    assertThat(layout.partialBundlesDir().resolve(info.sha256() + ".tar.gz")).doesNotExist();
    assertThat(api.bundleRequests.get()).as("no HTTP fetch").isZero();
    assertThat(heartbeats).isNotEmpty().allMatch(p -> p.source().equals("torrent"));
    assertThat(heartbeats.get(heartbeats.size() - 1).bytes()).isEqualTo(info.size());
    // The seeder is at the api's address: what it was seen to send is the seed's; on loopback it
    // may send everything and disconnect between two looks, leaving it unattributed.
    StagingReport end = reports.get(reports.size() - 1);
    assertThat(end.done()).isTrue();
    assertThat(end.bytes()).isEqualTo(info.size());
    assertThat(end.received().keySet())
        .isNotEmpty()
        .isSubsetOf(FetchProgress.SEED, FetchProgress.UNATTRIBUTED);
    assertThat(end.received().values().stream().mapToLong(Long::longValue).sum())
        .isGreaterThanOrEqualTo(info.size());
    assertThat(agentSeeder.seeding()).containsExactly(info.sha256());
    assertThat(agentPeer.torrents()).containsExactly(torrent.infoHash());
  }

  @Test
  void whatTheSeedSentIsCountedAsTheSeedsWhenTheFetchOutlastsAFewLooks() throws Exception {
    seeder.close();
    // About 1 MiB at 256 KiB/s: the seeder stays connected for several of the poller's looks
    // (every 500 ms), so what it sent is seen before it goes.
    seeder =
        TorrentPeer.start(
            TorrentPeer.Options.defaults()
                .withListenInterfaces("127.0.0.1:0")
                .withUploadRateLimit(256 * 1024));
    BundleInfo info = pack();
    Metainfo torrent = torrentOf(api.bundle);
    seeder.seed(torrent.bytes(), api.bundle.getParent());

    assertThat(stage(info).fetched()).isTrue();

    StagingReport end = reports.get(reports.size() - 1);
    assertThat(end.done()).isTrue();
    assertThat(end.received().keySet()).isSubsetOf(FetchProgress.SEED, FetchProgress.UNATTRIBUTED);
    // All but what came after the last look while it was connected (at most ~128 KiB here).
    assertThat(end.received().getOrDefault(FetchProgress.SEED, 0L))
        .isGreaterThanOrEqualTo(info.size() * 3 / 4);
  }

  @Test
  void fallsBackToHttpWhenTheApiHasNoTorrent() throws Exception {
    BundleInfo info = pack();
    StagedRelease staged = stage(info);

    assertThat(staged.fetched()).isTrue();
    assertThat(reports.get(reports.size() - 1).received())
        .isEqualTo(Map.of(FetchProgress.HTTP, info.size()));
    assertThat(api.torrentRequests.get()).isEqualTo(1);
    assertThat(api.bundleRequests.get()).isEqualTo(1);
    assertThat(host.app(APP).releaseDir(VERSION).resolve("cast.yml")).exists();
    assertThat(host.settings.layout().bundleTorrent(info.sha256())).doesNotExist();
    assertThat(agentPeer.torrents()).isEmpty();
  }

  @Test
  void fallsBackToHttpWhenTheDownloadStalls() throws Exception {
    stallTimeout = Duration.ofSeconds(1);
    BundleInfo info = pack();
    torrentOf(api.bundle); // announced, but nobody seeds it

    StagedRelease staged = stage(info);

    assertThat(staged.fetched()).isTrue();
    assertThat(api.bundleRequests.get()).isEqualTo(1);
    assertThat(host.app(APP).releaseDir(VERSION).resolve("cast.yml")).exists();
    assertThat(host.settings.layout().partialBundlesDir().resolve(info.sha256() + ".tar.gz"))
        .doesNotExist();
  }

  @Test
  void neverUnpacksABundleWhoseSha256DoesNotMatch() throws Exception {
    BundleInfo info = pack();
    Path corrupt =
        Files.createDirectories(root.resolve("corrupt")).resolve(api.bundle.getFileName());
    byte[] bytes = Files.readAllBytes(api.bundle);
    bytes[bytes.length / 2] ^= 1;
    Files.write(corrupt, bytes);
    Metainfo torrent = torrentOf(corrupt);
    seeder.seed(torrent.bytes(), corrupt.getParent());

    var failure = applicationFailure(() -> stage(info));

    assertThat(failure.getType()).isEqualTo("BUNDLE_CHECKSUM_MISMATCH");
    HostLayout layout = host.settings.layout();
    assertThat(host.app(APP).releaseDir(VERSION)).doesNotExist();
    assertThat(layout.bundle(info.sha256())).doesNotExist();
    assertThat(layout.bundleTorrent(info.sha256())).doesNotExist();
    assertThat(api.bundleRequests.get()).isZero();
  }

  /**
   * Real peers that checked their intact copy (so they have every piece), then their disk went bad.
   * The first gives the agent every piece but the corrupt one; then the others join one after
   * another, every 4 s, each sending the corrupt piece again. Each is rejected and counted in the
   * heartbeat, and none is progress: HTTP takes over one stall timeout after the last good piece,
   * before the last bad peer joined.
   */
  @Test
  void corruptPiecesAreRejectedCountedAndNoProgressSoHttpTakesOver() throws Exception {
    stallTimeout = Duration.ofSeconds(7);
    BundleInfo info = pack();
    Metainfo torrent = torrentOf(api.bundle);
    Path badDir = Files.createDirectories(root.resolve("bad"));
    Path copy = Files.copy(api.bundle, badDir.resolve(api.bundle.getFileName()));
    Metainfo untracked = TorrentCreator.of(copy).create(); // no tracker: they join only here
    assertThat(untracked.infoHash()).isEqualTo(torrent.infoHash());
    List<TorrentPeer> bad = new ArrayList<>();
    ExecutorService joiner = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < 6; i++) {
        TorrentPeer peer =
            TorrentPeer.start(TorrentPeer.Options.defaults().withListenInterfaces("127.0.0.1:0"));
        bad.add(peer);
        assertThat(
                peer.download(
                        untracked.bytes(), badDir, List.of(), TorrentPeer.ProgressListener.none())
                    .await(Duration.ofSeconds(30)))
            .isTrue();
      }
      try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
        file.seek(file.length() / 2);
        int b = file.read();
        file.seek(file.length() / 2);
        file.write(~b);
      }
      List<FetchProgress> heartbeats = new CopyOnWriteArrayList<>();
      host.env.setActivityHeartbeatListener(FetchProgress.class, heartbeats::add);
      AtomicInteger joined = new AtomicInteger();
      InetSocketAddress agent = new InetSocketAddress("127.0.0.1", agentPeer.listenPort());
      joiner.submit(
          () -> {
            while (!agentPeer.torrents().contains(torrent.infoHash())) {
              Thread.sleep(20);
            }
            bad.get(0).connect(torrent.infoHash(), agent);
            joined.incrementAndGet();
            Progress p;
            while ((p = agentPeer.progress(torrent.infoHash())) == null
                || p.bytesDone() < p.totalBytes() - torrent.pieceLength()) {
              Thread.sleep(20);
            }
            for (TorrentPeer peer : bad.subList(1, bad.size())) {
              Thread.sleep(4000);
              peer.connect(torrent.infoHash(), agent);
              joined.incrementAndGet();
            }
            return null;
          });

      // Heartbeats reach the listener at most every 80 % of the heartbeat timeout.
      ReleaseActivities activities =
          host.env.newActivityStub(
              ReleaseActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(2))
                  .setHeartbeatTimeout(Duration.ofSeconds(5))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      StageRequest request =
          new StageRequest(APP, VERSION, info.sha256(), info.size(), BUNDLE_PATH, TORRENT_PATH);

      StagedRelease staged =
          CompletableFuture.supplyAsync(() -> activities.stageRelease(request))
              .get(90, TimeUnit.SECONDS);
      int joinedBeforeHttp = joined.get();

      int rejected =
          heartbeats.stream()
              .filter(p -> p.source().equals("torrent"))
              .mapToInt(FetchProgress::hashFailures)
              .max()
              .orElse(0);
      System.out.printf(
          "corrupt peers: %d joined, %d corrupt pieces rejected, then HTTP%n",
          joinedBeforeHttp, rejected);
      assertThat(rejected).as("corrupt pieces were received and rejected").isPositive();
      assertThat(joinedBeforeHttp)
          .as("HTTP took over one stall timeout after the last good piece")
          .isLessThan(bad.size());
      assertThat(staged.fetched()).isTrue();
      assertThat(api.bundleRequests.get()).isOne();
      assertThat(Digests.sha256(host.settings.layout().bundle(info.sha256())))
          .isEqualTo(info.sha256());
      assertThat(host.app(APP).releaseDir(VERSION).resolve("cast.yml")).exists();
      assertThat(host.settings.layout().partialBundlesDir().resolve(info.sha256() + ".tar.gz"))
          .doesNotExist();
    } finally {
      joiner.shutdownNow();
      bad.forEach(TorrentPeer::close);
    }
  }

  @Test
  void aDiskThatFillsDuringTheDownloadIsInsufficientDiskWithoutHttpAndLeavesNoPartialFile()
      throws Exception {
    Path data = root.resolve("data");
    Files.createDirectories(data);
    assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", data.toString()) == 0,
        "mount -t tmpfs failed");
    mounted = data;
    seeder.close();
    // About 1 MiB at 128 KiB/s: the download takes seconds, time to fill the disk under it.
    seeder =
        TorrentPeer.start(
            TorrentPeer.Options.defaults()
                .withListenInterfaces("127.0.0.1:0")
                .withUploadRateLimit(128 * 1024));
    BundleInfo info = pack();
    Metainfo torrent = torrentOf(api.bundle);
    seeder.seed(torrent.bytes(), api.bundle.getParent());
    // Once libtorrent has written into its partial file, the disk fills up under it.
    Path partial = host.settings.layout().partialBundle(info.sha256());
    CompletableFuture<Void> filler =
        CompletableFuture.runAsync(
            () -> {
              long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
              while (!written(partial) && System.nanoTime() < end) {
                Thread.onSpinWait();
              }
              fill(data.resolve("ballast"));
            });

    ApplicationFailure failure = applicationFailure(() -> stage(info));

    assertThat(failure.getType()).isEqualTo("INSUFFICIENT_DISK");
    assertThat(failure.getOriginalMessage())
        .contains("staging x@1 ran out of space in " + host.settings.layout().bundlesDir())
        .contains("No space left on device");
    assertThat(api.bundleRequests.get()).as("HTTP would only fill the disk again").isZero();
    assertThat(host.settings.layout().partialBundle(info.sha256())).doesNotExist();
    assertThat(agentPeer.torrents()).isEmpty();
    filler.get(30, TimeUnit.SECONDS);
  }

  private static boolean written(Path file) {
    try {
      return Files.size(file) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes {@code file} until the file system is full. */
  private static void fill(Path file) {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // full
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @Test
  void evictionKeepsBundlesOfReleasesOnDiskAndStopsSeedingWhatItDeletes() throws Exception {
    HostLayout layout = new HostLayout(root.resolve("data"));
    Files.createDirectories(layout.bundlesDir());
    String onDisk = bundle(layout, 'a', 3);
    String old = bundle(layout, 'b', 2);
    String recent = bundle(layout, 'c', 1);
    Path releases = Files.createDirectories(layout.app("x").releaseDir("1")).getParent();
    Files.writeString(releases.resolve(".1.sha256"), onDisk + "\n");
    Metainfo oldTorrent = TorrentCreator.of(layout.bundle(old)).create();
    Files.write(layout.bundleTorrent(old), oldTorrent.bytes());
    agentSeeder = new BundleSeeder(agentPeer, layout, Duration.ofMinutes(5));
    agentSeeder.seed(old);
    assertThat(agentPeer.torrents()).containsExactly(oldTorrent.infoHash());
    BundleCache cache = new BundleCache(layout, null, agentSeeder, 2 * 1000);

    List<String> evicted = cache.evict(null);

    assertThat(evicted).containsExactly(old);
    assertThat(layout.bundle(onDisk)).exists();
    assertThat(layout.bundle(recent)).exists();
    assertThat(layout.bundle(old)).doesNotExist();
    assertThat(layout.bundleTorrent(old)).doesNotExist();
    assertThat(agentPeer.torrents()).isEmpty();
  }

  /** A 1000-byte cache entry named with a fake sha256, last used {@code hoursAgo}. */
  private static String bundle(HostLayout layout, char c, int hoursAgo) throws IOException {
    String sha = String.valueOf(c).repeat(64);
    Path file = Files.write(layout.bundle(sha), randomBytes(1000, c));
    Files.setLastModifiedTime(
        file, FileTime.fromMillis(System.currentTimeMillis() - hoursAgo * 3_600_000L));
    return sha;
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The api's part in this: tracker, torrent (404 until set) and bundle with Range support. */
  private static final class FakeApi implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    final Tracker tracker = new Tracker();
    final AtomicInteger torrentRequests = new AtomicInteger();
    final AtomicInteger bundleRequests = new AtomicInteger();
    volatile byte[] torrent;
    volatile Path bundle;
    private final HttpServer server;

    FakeApi() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext(
          Tracker.ANNOUNCE_PATH,
          ex ->
              reply(
                  ex,
                  200,
                  tracker.announce(
                      ex.getRequestURI().getRawQuery(), ex.getRemoteAddress().getAddress())));
      server.createContext(
          "/v1/apps/x/releases/1/torrent",
          ex -> {
            torrentRequests.incrementAndGet();
            byte[] t = torrent;
            reply(ex, t == null ? 404 : 200, t == null ? new byte[0] : t);
          });
      server.createContext(
          "/v1/apps/x/releases/1/bundle",
          ex -> {
            bundleRequests.incrementAndGet();
            serve(ex, bundle);
          });
      server.start();
    }

    String base() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void serve(HttpExchange ex, Path file) throws IOException {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        long from = 0;
        long to = raf.length() - 1;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m != null && m.matches()) {
          from = Long.parseLong(m.group(1));
          if (!m.group(2).isEmpty()) {
            to = Math.min(to, Long.parseLong(m.group(2)));
          }
          status = 206;
          ex.getResponseHeaders()
              .set("Content-Range", "bytes " + from + "-" + to + "/" + raf.length());
        }
        byte[] body = new byte[(int) (to - from + 1)];
        raf.seek(from);
        raf.readFully(body);
        reply(ex, status, body);
      }
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
      ((ExecutorService) server.getExecutor()).shutdownNow();
    }
  }
}
