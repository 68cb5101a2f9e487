package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActiveDownloadTest {
  private static Progress received(long bytes, String state) {
    return new Progress(0, 1 << 16, 0, 1, 0, 0, 0, state, 0, bytes, Map.of());
  }

  @Test
  void aNewHighOfReceivedBytesIsADelivery(@TempDir Path dir) throws Exception {
    ActiveDownload active = Downloads.of(Downloads.torrent(dir, null), Share.WHOLE, List.of());
    active.noteDelivery(received(1000, "downloading"), 42);

    assertThat(active.lastDeliveryAt).isEqualTo(42);
    assertThat(active.deliveredBytes).isEqualTo(1000);
  }

  @Test
  void bytesReceivedAgainAfterARejectedPieceAreNoDelivery(@TempDir Path dir) throws Exception {
    ActiveDownload active = Downloads.of(Downloads.torrent(dir, null), Share.WHOLE, List.of());
    active.noteDelivery(received(1000, "downloading"), 42);
    // A piece failed its hash check: the count drops, and climbs back to where it was.
    active.noteDelivery(received(600, "downloading"), 43);
    active.noteDelivery(received(1000, "downloading"), 44);

    assertThat(active.lastDeliveryAt).isEqualTo(42);
    assertThat(active.deliveredBytes).isEqualTo(1000);
  }

  @Test
  void checkingAPartialFileCountsAsDelivery(@TempDir Path dir) throws Exception {
    ActiveDownload active = Downloads.of(Downloads.torrent(dir, null), Share.WHOLE, List.of());
    active.noteDelivery(received(0, "checking_files"), 42);

    assertThat(active.lastDeliveryAt).isEqualTo(42);
  }
}
