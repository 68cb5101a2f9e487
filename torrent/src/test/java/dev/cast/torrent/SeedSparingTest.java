package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of seed sparing that need no session; {@link SeedSpareTest} runs a swarm. */
class SeedSparingTest {
  // TEST-NET-1 (RFC 5737): never an address of this machine.
  private static final String SEED = "192.0.2.1";
  private static final Share FIRST_OF_TWO = new Share(0, 2);

  private static ActiveDownload sparing(Metainfo meta, String seed) {
    ActiveDownload active = Downloads.of(meta, FIRST_OF_TWO, List.of());
    active.sparedSeed = seed;
    active.spareChecked = true;
    return active;
  }

  @Test
  void aDownloadOfAShareSparesARemoteSeed(@TempDir Path dir) throws Exception {
    ActiveDownload active = Downloads.of(Downloads.torrent(dir, null), FIRST_OF_TWO, List.of());
    SeedSparing.spare(active, InetAddress.getByName(SEED));

    assertThat(active.sparedSeed).isEqualTo(SEED);
  }

  @Test
  void aDownloadOfTheWholeTorrentSparesNoSeed(@TempDir Path dir) throws Exception {
    ActiveDownload active = Downloads.of(Downloads.torrent(dir, null), Share.WHOLE, List.of());
    SeedSparing.spare(active, InetAddress.getByName(SEED));

    assertThat(active.sparedSeed).isNull();
  }

  @Test
  void aSeedOnThisMachineIsNotSpared(@TempDir Path dir) throws Exception {
    ActiveDownload active = Downloads.of(Downloads.torrent(dir, null), FIRST_OF_TWO, List.of());
    SeedSparing.spare(active, InetAddress.getLoopbackAddress());

    assertThat(active.sparedSeed).isNull();
  }

  @Test
  void aDownloadUsingWebSeedsFromTheStartSparesNoSeed(@TempDir Path dir) throws Exception {
    Metainfo meta = Downloads.torrent(dir, "http://api.example/bundles/");
    ActiveDownload active = Downloads.of(meta, FIRST_OF_TWO, List.of());
    SeedSparing.spare(active, InetAddress.getByName(SEED));

    assertThat(active.sparedSeed).isNull();
  }

  @Test
  void theSeedIsBlockedWhileEveryRunningDownloadSparesIt(@TempDir Path dir) throws Exception {
    Metainfo meta = Downloads.torrent(dir, null);
    List<ActiveDownload> running = List.of(sparing(meta, SEED), sparing(meta, SEED));

    assertThat(SeedSparing.toBlock(running)).containsExactly(SEED);
  }

  @Test
  void nothingIsBlockedWhileOneDownloadNeedsTheSeed(@TempDir Path dir) throws Exception {
    Metainfo meta = Downloads.torrent(dir, null);
    ActiveDownload released = sparing(meta, SEED);
    released.spareReleased = true;

    assertThat(SeedSparing.toBlock(List.of(sparing(meta, SEED), released))).isEmpty();
    assertThat(SeedSparing.toBlock(List.of())).isEmpty();
  }

  @Test
  void theShareMayBeHeldOnceItsLastPieceFinished(@TempDir Path dir) throws Exception {
    ActiveDownload active = Downloads.of(Downloads.torrent(dir, null), FIRST_OF_TWO, List.of());
    active.sparedSeed = SEED;

    // Pieces 0 and 1 of 4 are the first share of two.
    assertThat(SeedSparing.mayHoldShare(active, 2)).isFalse();
    assertThat(SeedSparing.mayHoldShare(active, 0)).isFalse();
    assertThat(SeedSparing.mayHoldShare(active, 1)).isTrue();
  }

  @Test
  void aDownloadThatSparesNoSeedNeverLooksAtItsShare(@TempDir Path dir) throws Exception {
    ActiveDownload active = Downloads.of(Downloads.torrent(dir, null), FIRST_OF_TWO, List.of());

    assertThat(SeedSparing.mayHoldShare(active, 0)).isFalse();
    assertThat(SeedSparing.mayHoldShare(active, 1)).isFalse();
  }

  @Test
  void theSeedIsAskedAgainOnceNothingArrivedForAWhile(@TempDir Path dir) throws Exception {
    ActiveDownload active = sparing(Downloads.torrent(dir, null), SEED);
    long idle = active.lastDeliveryAt + SeedSparing.SPARE_IDLE.toNanos();

    assertThat(SeedSparing.whyAskTheSeedAgain(active, idle))
        .isEqualTo("nothing received for 1000 ms");
  }

  @Test
  void aPeersAddressIsItsHostAlone() {
    assertThat(SeedSparing.hostOf("tcp://10.1.2.3:6881")).isEqualTo("10.1.2.3");
    assertThat(SeedSparing.hostOf("tcp://[fd00::7]:6881")).isEqualTo("fd00::7");
    assertThat(SeedSparing.hostOf("10.1.2.3:6881")).isEqualTo("10.1.2.3");
  }
}
