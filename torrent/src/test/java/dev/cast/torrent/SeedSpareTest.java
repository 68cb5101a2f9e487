package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts that fetch a share first spare the api's seed once they hold it. Each peer listens on an
 * address of its own in 127.0.0.0/8 (all on the loopback interface), so the seed's address is not
 * shared with the hosts': the seed is 127.0.0.2, the hosts 127.0.0.3 and 127.0.0.4.
 */
class SeedSpareTest {
  private static final long SIZE = 8L * 1024 * 1024;
  private static final int SEED_RATE = 4 << 20;

  @BeforeAll
  static void loadNative() {
    TorrentNative.Availability a = TorrentNative.load(TestFiles.nativeCache());
    assertThat(a.available()).as(a.reason()).isTrue();
  }

  private static TorrentPeer peerAt(String ip, int uploadRate) {
    return TorrentPeer.start(
        TorrentPeer.Options.defaults()
            .withListenInterfaces(ip + ":0")
            .withAnnounceIp(ip)
            .withUploadRateLimit(uploadRate));
  }

  @Test
  void twoHostsEachTakeTheirShareFromTheSeedAndTheRestFromEachOther(@TempDir Path dir)
      throws Exception {
    Path seedDir = Files.createDirectories(dir.resolve("seed"));
    Path bundle = TestFiles.random(seedDir.resolve("bundle.tar.gz"), SIZE, 11);
    try (TestHttp http = new TestHttp(new Tracker(), null)) {
      Metainfo torrent = TorrentCreator.of(bundle).announce(http.announceUrl()).create();
      http.tracker.allow(torrent.infoHash());
      try (TorrentPeer seed = peerAt("127.0.0.2", SEED_RATE);
          TorrentPeer a = peerAt("127.0.0.3", 0);
          TorrentPeer b = peerAt("127.0.0.4", 0)) {
        seed.seed(torrent.bytes(), seedDir);
        Download da =
            a.download(
                torrent.bytes(),
                dir.resolve("a"),
                List.of(),
                new TorrentPeer.Share(0, 2),
                TorrentPeer.ProgressListener.none());
        Download db =
            b.download(
                torrent.bytes(),
                dir.resolve("b"),
                List.of(),
                new TorrentPeer.Share(1, 2),
                TorrentPeer.ProgressListener.none());
        a.spareSeed(torrent.infoHash(), InetAddress.getByName("127.0.0.2"));
        b.spareSeed(torrent.infoHash(), InetAddress.getByName("127.0.0.2"));

        assertThat(da.await(Duration.ofSeconds(60))).isTrue();
        assertThat(db.await(Duration.ofSeconds(60))).isTrue();
        assertThat(TestFiles.sha256(da.file())).isEqualTo(TestFiles.sha256(bundle));
        assertThat(TestFiles.sha256(db.file())).isEqualTo(TestFiles.sha256(bundle));
        assertThat(a.sparings()).as("host a spared the seed once it held its share").isOne();
        assertThat(b.sparings()).as("host b spared the seed once it held its share").isOne();
        // Finished downloads spare nothing: the next download may need the seed.
        assertThat(a.sparedSeeds()).isEmpty();
      }
    }
  }

  @Test
  void aHostAloneWithItsShareAsksTheSeedAgainOnceNothingArrives(@TempDir Path dir)
      throws Exception {
    Path seedDir = Files.createDirectories(dir.resolve("seed"));
    Path bundle = TestFiles.random(seedDir.resolve("bundle.tar.gz"), SIZE, 12);
    try (TestHttp http = new TestHttp(new Tracker(), null)) {
      Metainfo torrent = TorrentCreator.of(bundle).announce(http.announceUrl()).create();
      http.tracker.allow(torrent.infoHash());
      try (TorrentPeer seed = peerAt("127.0.0.2", SEED_RATE);
          TorrentPeer a = peerAt("127.0.0.3", 0)) {
        seed.seed(torrent.bytes(), seedDir);
        // The host with share 1 of 2 never comes: only the seed has that half.
        Download d =
            a.download(
                torrent.bytes(),
                dir.resolve("a"),
                List.of(),
                new TorrentPeer.Share(0, 2),
                TorrentPeer.ProgressListener.none());
        a.spareSeed(torrent.infoHash(), InetAddress.getByName("127.0.0.2"));

        assertThat(d.await(Duration.ofSeconds(60))).isTrue();
        assertThat(TestFiles.sha256(d.file())).isEqualTo(TestFiles.sha256(bundle));
        assertThat(a.sparings()).as("the seed was spared once the share was here").isOne();
      }
    }
  }

  @Test
  void theSeedIsNotSparedWhenItsAddressIsThisMachines(@TempDir Path dir) throws Exception {
    Path seedDir = Files.createDirectories(dir.resolve("seed"));
    Path bundle = TestFiles.random(seedDir.resolve("bundle.tar.gz"), SIZE, 13);
    try (TestHttp http = new TestHttp(new Tracker(), null)) {
      Metainfo torrent = TorrentCreator.of(bundle).announce(http.announceUrl()).create();
      http.tracker.allow(torrent.infoHash());
      try (TorrentPeer seed = TorrentPeer.start(TorrentPeer.Options.defaults());
          TorrentPeer a = TorrentPeer.start(TorrentPeer.Options.defaults())) {
        seed.seed(torrent.bytes(), seedDir);
        Download d =
            a.download(
                torrent.bytes(),
                dir.resolve("a"),
                List.of(),
                new TorrentPeer.Share(0, 2),
                TorrentPeer.ProgressListener.none());
        // 127.0.0.1: every peer on this machine may use it.
        a.spareSeed(torrent.infoHash(), InetAddress.getLoopbackAddress());

        assertThat(d.await(Duration.ofSeconds(60))).isTrue();
        assertThat(a.sparings()).isZero();
      }
    }
  }
}
