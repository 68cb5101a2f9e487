package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libtorrent4j.TorrentInfo;

/** Real libtorrent sessions, a JDK HTTP server as tracker and web seed, an 8 MiB bundle. */
class TorrentPeerTest {
  private static final long SIZE = 8L * 1024 * 1024;

  @BeforeAll
  static void loadNative() {
    TorrentNative.Availability a = TorrentNative.load(TestFiles.nativeCache());
    assertThat(a.available()).as(a.reason()).isTrue();
  }

  @Test
  void libtorrentComputesTheSameInfoHash(@TempDir Path dir) throws Exception {
    Path bundle = TestFiles.random(dir.resolve("bundle.tar.gz"), SIZE + 123, 7);
    Metainfo torrent =
        TorrentCreator.of(bundle)
            .announce("http://127.0.0.1:1/announce")
            .webSeed("http://127.0.0.1:1/files/bundle.tar.gz")
            .create();
    TorrentInfo info = TorrentInfo.bdecode(torrent.bytes());
    assertThat(info.infoHash().toHex()).isEqualTo(torrent.infoHash());
    assertThat(info.numPieces()).isEqualTo(torrent.pieceCount());
    assertThat(info.totalSize()).isEqualTo(SIZE + 123);
    assertThat(info.webSeeds()).hasSize(1);
  }

  @Test
  void downloadsFromASeederFoundThroughTheTracker(@TempDir Path dir) throws Exception {
    Path seedDir = Files.createDirectories(dir.resolve("seed"));
    Path bundle = TestFiles.random(seedDir.resolve("bundle.tar.gz"), SIZE, 1);
    try (TestHttp http = new TestHttp(new Tracker(), null)) {
      Metainfo torrent = TorrentCreator.of(bundle).announce(http.announceUrl()).create();
      http.tracker.allow(torrent.infoHash());
      try (TorrentPeer seeder = TorrentPeer.start(TorrentPeer.Options.defaults());
          TorrentPeer leecher = TorrentPeer.start(TorrentPeer.Options.defaults())) {
        seeder.seed(torrent.bytes(), seedDir);
        List<Progress> seen = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        Download d = leecher.download(torrent.bytes(), dir.resolve("down"), List.of(), seen::add);
        assertThat(d.await(Duration.ofSeconds(30))).isTrue();
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(TestFiles.sha256(d.file())).isEqualTo(TestFiles.sha256(bundle));
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1).isComplete()).isTrue();
        Thread.sleep(1500); // libtorrent updates transfer counters once a second
        long uploaded = seeder.uploadedBytes(torrent.infoHash());
        System.out.printf(
            "peer-to-peer: %d bytes in %d ms; seeder uploaded %d; tracker %s%n",
            SIZE, millis, uploaded, http.tracker.stats());
        assertThat(uploaded).isBetween(SIZE, 4 * SIZE);
        assertThat(seeder.totalUploadedBytes()).isEqualTo(uploaded);
        assertThat(http.tracker.stats(torrent.infoHash()).orElseThrow().completed()).isEqualTo(1);
      }
    }
  }

  @Test
  void downloadsFromTheWebSeedAlone(@TempDir Path dir) throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Path bundle = TestFiles.random(files.resolve("bundle.tar.gz"), SIZE, 2);
    try (TestHttp http = new TestHttp(new Tracker(), files);
        TorrentPeer leecher = TorrentPeer.start(TorrentPeer.Options.defaults())) {
      Metainfo torrent = webSeeded(http, bundle);
      long start = System.nanoTime();
      Download d = download(leecher, torrent, dir);
      assertThat(d.await(Duration.ofSeconds(30))).isTrue();
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          "web seed only: %d bytes in %d ms, %d bytes served over HTTP%n",
          SIZE, millis, http.fileBytesServed.get());
      assertThat(TestFiles.sha256(d.file())).isEqualTo(TestFiles.sha256(bundle));
      assertThat(http.fileBytesServed.get()).isGreaterThanOrEqualTo(SIZE);
    }
  }

  @Test
  void holdsTheWebSeedBackWhilePeersDeliver(@TempDir Path dir) throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Path bundle = TestFiles.random(files.resolve("bundle.tar.gz"), SIZE, 5);
    try (TestHttp http = new TestHttp(new Tracker(), files);
        TorrentPeer seeder = TorrentPeer.start(TorrentPeer.Options.defaults());
        TorrentPeer leecher =
            TorrentPeer.start(
                TorrentPeer.Options.defaults().withWebSeedDelay(Duration.ofSeconds(20)))) {
      Metainfo torrent = webSeeded(http, bundle);
      seeder.seed(torrent.bytes(), files);
      Download d = download(leecher, torrent, dir);
      assertThat(d.await(Duration.ofSeconds(30))).isTrue();

      assertThat(TestFiles.sha256(d.file())).isEqualTo(TestFiles.sha256(bundle));
      assertThat(http.fileBytesServed.get()).isZero();
    }
  }

  @Test
  void addsTheWebSeedOnceNoPeerDelivers(@TempDir Path dir) throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    Path bundle = TestFiles.random(files.resolve("bundle.tar.gz"), SIZE, 6);
    Duration delay = Duration.ofSeconds(2);
    try (TestHttp http = new TestHttp(new Tracker(), files);
        TorrentPeer leecher =
            TorrentPeer.start(TorrentPeer.Options.defaults().withWebSeedDelay(delay))) {
      Metainfo torrent = webSeeded(http, bundle);
      long start = System.nanoTime();
      Download d = download(leecher, torrent, dir);
      assertThat(d.await(Duration.ofSeconds(30))).isTrue();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
      assertThat(TestFiles.sha256(d.file())).isEqualTo(TestFiles.sha256(bundle));
      assertThat(http.fileBytesServed.get()).isGreaterThanOrEqualTo(SIZE);
    }
  }

  @Test
  void resumesFromPartialDataAfterTheDownloaderIsKilled(@TempDir Path dir) throws Exception {
    Path seedDir = Files.createDirectories(dir.resolve("seed"));
    Path bundle = TestFiles.random(seedDir.resolve("bundle.tar.gz"), SIZE, 3);
    Path saveDir = dir.resolve("down");
    try (TestHttp http = new TestHttp(new Tracker(), null);
        TorrentPeer seeder = TorrentPeer.start(TorrentPeer.Options.defaults())) {
      Metainfo torrent = TorrentCreator.of(bundle).announce(http.announceUrl()).create();
      http.tracker.allow(torrent.infoHash());
      seeder.seed(torrent.bytes(), seedDir);
      Path torrentFile = Files.write(dir.resolve("bundle.torrent"), torrent.bytes());

      long partial = downloadInChildAndKillHalfWay(torrentFile, saveDir);

      try (TorrentPeer leecher = TorrentPeer.start(TorrentPeer.Options.defaults())) {
        List<Progress> seen = new CopyOnWriteArrayList<>();
        Download d = leecher.download(torrent.bytes(), saveDir, List.of(), seen::add);
        assertThat(d.await(Duration.ofSeconds(30))).isTrue();
        long second = d.progress().downloadedThisRun();
        System.out.printf(
            "resume: first run left %d verified bytes; second run downloaded %d of %d%n",
            partial, second, SIZE);
        assertThat(TestFiles.sha256(d.file())).isEqualTo(TestFiles.sha256(bundle));
        assertThat(second).isLessThan(SIZE - partial / 2);
      }
    }
  }

  @Test
  void cancelOrCloseEndsTheWaitWithoutLosingTheFile(@TempDir Path dir) throws Exception {
    Path bundle = TestFiles.random(dir.resolve("bundle.tar.gz"), SIZE, 4);
    Metainfo torrent = TorrentCreator.of(bundle).create(); // no tracker, no web seed: no source
    try (TorrentPeer leecher = TorrentPeer.start(TorrentPeer.Options.defaults())) {
      Download cancelled =
          leecher.download(
              torrent.bytes(), dir.resolve("a"), List.of(), TorrentPeer.ProgressListener.none());
      assertThat(cancelled.await(Duration.ofMillis(300))).isFalse();
      cancelled.cancel();
      assertThatThrownBy(() -> cancelled.await(Duration.ofSeconds(5)))
          .isInstanceOf(TorrentException.class)
          .hasMessageContaining("cancelled");
      assertThat(cancelled.progress().totalBytes()).isEqualTo(SIZE);
      assertThat(leecher.torrents()).doesNotContain(torrent.infoHash());

      Download open =
          leecher.download(
              torrent.bytes(), dir.resolve("b"), List.of(), TorrentPeer.ProgressListener.none());
      leecher.close();
      assertThatThrownBy(() -> open.await(Duration.ofSeconds(5)))
          .isInstanceOf(TorrentException.class)
          .hasMessageContaining("closed");
      assertThat(open.progress().bytesDone()).isZero();
    }
  }

  /** Runs {@link DownloadMain} rate-limited, kills it -9 past 40 %; returns its verified bytes. */
  private static long downloadInChildAndKillHalfWay(Path torrentFile, Path saveDir)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                classpath,
                DownloadMain.class.getName(),
                torrentFile.toString(),
                saveDir.toString(),
                String.valueOf(2 * 1024 * 1024),
                TestFiles.nativeCache().toString()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    long verified = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("progress ")) {
          verified = Long.parseLong(line.split(" ")[1]);
          if (verified >= SIZE * 4 / 10) {
            break;
          }
        } else if (line.equals("done")) {
          break;
        }
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(verified).as("the child was killed half-way").isBetween(SIZE * 4 / 10, SIZE - 1);
    return verified;
  }

  /** A torrent of {@code bundle} announcing to {@code http}'s tracker, with it as web seed. */
  private static Metainfo webSeeded(TestHttp http, Path bundle) throws Exception {
    Metainfo torrent =
        TorrentCreator.of(bundle)
            .announce(http.announceUrl())
            .webSeed(http.fileUrl(bundle.getFileName().toString()))
            .create();
    http.tracker.allow(torrent.infoHash());
    return torrent;
  }

  /** Starts downloading {@code torrent} into {@code dir/down}, progress unwatched. */
  private static Download download(TorrentPeer leecher, Metainfo torrent, Path dir) {
    return leecher.download(
        torrent.bytes(), dir.resolve("down"), List.of(), TorrentPeer.ProgressListener.none());
  }
}
