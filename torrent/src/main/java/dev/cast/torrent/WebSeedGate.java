package dev.cast.torrent;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a download's web seeds join it: from the start when the delay is zero, otherwise held back
 * until no peer has delivered anything for the delay ({@link TorrentPeer.Options#webSeedDelay}). A
 * web seed is the api itself, so holding it back lets hosts feed each other instead.
 */
final class WebSeedGate {
  // Logged as the peer, so one logger carries everything the BitTorrent peer reports.
  private static final Logger LOG = LoggerFactory.getLogger(TorrentPeer.class);

  private final Duration delay;

  WebSeedGate(Duration delay) {
    this.delay = delay;
  }

  /**
   * Whether a new download of {@code meta} starts without its web seeds. The caller also checks
   * that the torrent is not in the peer already: an existing torrent keeps the web seeds it has.
   */
  boolean holdsBack(Metainfo meta) {
    return !delay.isZero() && !meta.webSeeds().isEmpty();
  }

  /**
   * Whether the held-back web seeds of {@code active} are added now: it still lacks bytes and its
   * peers have delivered nothing for the delay. Time spent checking a partial file already on disk
   * does not count, because {@link ActiveDownload#noteDelivery} counts it as delivery.
   */
  boolean opens(ActiveDownload active, Progress progress, long now) {
    return !active.heldWebSeeds.isEmpty()
        && !progress.isComplete()
        && now - active.lastDeliveryAt >= delay.toNanos();
  }

  /** Adds the held-back web seeds of {@code active} once {@link #opens} says so. */
  void releaseIfPeersIdle(ActiveDownload active, Progress progress, SeedSparing sparing) {
    if (!opens(active, progress, System.nanoTime())) {
      return;
    }
    LOG.info(
        "{}: no peer delivered anything for {} ms ({} of {} bytes, {} peers); adding the web seed",
        active.meta.name(),
        delay.toMillis(),
        progress.bytesDone(),
        progress.totalBytes(),
        progress.peers());
    // The web seed is the api: a spared seed's address must be open first.
    active.spareReleased = true;
    if (sparing.isSparing()) {
      sparing.update();
    }
    for (String url : active.heldWebSeeds) {
      active.handle.swig().add_url_seed(url);
    }
    active.heldWebSeeds = List.of();
  }
}
