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

  /** A tracker and a torrent of a random bundle, seeded by {@code seed} from {@code dir/seed}. */
  private record Swarm(TestHttp http, Metainfo torrent, Path bundle) implements AutoCloseable {
    static Swarm seededBy(TorrentPeer seed, Path dir, long randomSeed) throws Exception {
      Path seedDir = Files.createDirectories(dir.resolve("seed"));
      Path bundle = TestFiles.random(seedDir.resolve("bundle.tar.gz"), SIZE, randomSeed);
      TestHttp http = new TestHttp(new Tracker(), null);
      Metainfo torrent = TorrentCreator.of(bundle).announce(http.announceUrl()).create();
      http.tracker.allow(torrent.infoHash());
      seed.seed(torrent.bytes(), seedDir);
      return new Swarm(http, torrent, bundle);
    }

    /**
     * Starts {@code host}'s download of share {@code index} of 2, sparing the seed at {@code seed}.
     */
    Download shareOf(TorrentPeer host, Path dir, int index, InetAddress seed) {
      Download d =
          host.download(
              torrent.bytes(),
              dir.resolve("host" + index),
              List.of(),
              new Share(index, 2),
              TorrentPeer.ProgressListener.none());
      host.spareSeed(torrent.infoHash(), seed);
      return d;
    }

    /** Waits for the download and checks its file is the bundle. */
    void completes(Download d) throws Exception {
      assertThat(d.await(Duration.ofSeconds(60))).isTrue();
      assertThat(TestFiles.sha256(d.file())).isEqualTo(TestFiles.sha256(bundle));
    }

    @Override
    public void close() {
      http.close();
    }
  }

  @Test
  void twoHostsEachTakeTheirShareFromTheSeedAndTheRestFromEachOther(@TempDir Path dir)
      throws Exception {
    InetAddress seedAddress = InetAddress.getByName("127.0.0.2");
    try (TorrentPeer seed = peerAt("127.0.0.2", SEED_RATE);
        TorrentPeer a = peerAt("127.0.0.3", 0);
        TorrentPeer b = peerAt("127.0.0.4", 0);
        Swarm swarm = Swarm.seededBy(seed, dir, 11)) {
      Download da = swarm.shareOf(a, dir, 0, seedAddress);
      Download db = swarm.shareOf(b, dir, 1, seedAddress);

      swarm.completes(da);
      swarm.completes(db);
      assertThat(a.sparings()).as("host a spared the seed once it held its share").isOne();
      assertThat(b.sparings()).as("host b spared the seed once it held its share").isOne();
      // Finished downloads spare nothing: the next download may need the seed.
      assertThat(a.sparedSeeds()).isEmpty();
    }
  }

  @Test
  void aHostAloneWithItsShareAsksTheSeedAgainOnceNothingArrives(@TempDir Path dir)
      throws Exception {
    try (TorrentPeer seed = peerAt("127.0.0.2", SEED_RATE);
        TorrentPeer a = peerAt("127.0.0.3", 0);
        Swarm swarm = Swarm.seededBy(seed, dir, 12)) {
      // The host with share 1 of 2 never comes: only the seed has that half.
      Download d = swarm.shareOf(a, dir, 0, InetAddress.getByName("127.0.0.2"));

      swarm.completes(d);
      assertThat(a.sparings()).as("the seed was spared once the share was here").isOne();
    }
  }

  @Test
  void theSeedIsNotSparedWhenItsAddressIsThisMachines(@TempDir Path dir) throws Exception {
    try (TorrentPeer seed = TorrentPeer.start(TorrentPeer.Options.defaults());
        TorrentPeer a = TorrentPeer.start(TorrentPeer.Options.defaults());
        Swarm swarm = Swarm.seededBy(seed, dir, 13)) {
      // 127.0.0.1: every peer on this machine may use it.
      Download d = swarm.shareOf(a, dir, 0, InetAddress.getLoopbackAddress());

      swarm.completes(d);
      assertThat(a.sparings()).isZero();
    }
  }
}
