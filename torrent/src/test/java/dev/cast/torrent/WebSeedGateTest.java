package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSeedGateTest {
  private static final String API = "http://api.example/bundles/";
  private static final Duration DELAY = Duration.ofSeconds(5);

  private static Progress progress(long done, long total) {
    return new Progress(done, total, 0, 1, 0, 0, 0, "downloading", 0, done, Map.of());
  }

  @Test
  void aTorrentWithWebSeedsStartsWithoutThemWhenThereIsADelay(@TempDir Path dir) throws Exception {
    assertThat(new WebSeedGate(DELAY).holdsBack(Downloads.torrent(dir, API))).isTrue();
  }

  @Test
  void webSeedsAreUsedFromTheStartWithoutADelay(@TempDir Path dir) throws Exception {
    assertThat(new WebSeedGate(Duration.ZERO).holdsBack(Downloads.torrent(dir, API))).isFalse();
  }

  @Test
  void aTorrentWithoutWebSeedsHoldsNothingBack(@TempDir Path dir) throws Exception {
    assertThat(new WebSeedGate(DELAY).holdsBack(Downloads.torrent(dir, null))).isFalse();
  }

  @Test
  void heldWebSeedsJoinOncePeersDeliveredNothingForTheDelay(@TempDir Path dir) throws Exception {
    Metainfo meta = Downloads.torrent(dir, API);
    ActiveDownload active = Downloads.of(meta, Share.WHOLE, List.of(API));
    long now = active.lastDeliveryAt + DELAY.toNanos();
    WebSeedGate gate = new WebSeedGate(DELAY);

    assertThat(gate.opens(active, progress(0, meta.length()), now - 1)).isFalse();
    assertThat(gate.opens(active, progress(0, meta.length()), now)).isTrue();
  }

  @Test
  void aCompleteDownloadAddsNoWebSeed(@TempDir Path dir) throws Exception {
    Metainfo meta = Downloads.torrent(dir, API);
    ActiveDownload active = Downloads.of(meta, Share.WHOLE, List.of(API));
    long later = active.lastDeliveryAt + DELAY.toNanos();

    assertThat(new WebSeedGate(DELAY).opens(active, progress(meta.length(), meta.length()), later))
        .isFalse();
  }

  @Test
  void webSeedsAreAddedOnlyOnce(@TempDir Path dir) throws Exception {
    Metainfo meta = Downloads.torrent(dir, API);
    ActiveDownload active = Downloads.of(meta, Share.WHOLE, List.of());
    long later = active.lastDeliveryAt + DELAY.toNanos();

    assertThat(new WebSeedGate(DELAY).opens(active, progress(0, meta.length()), later)).isFalse();
  }
}
