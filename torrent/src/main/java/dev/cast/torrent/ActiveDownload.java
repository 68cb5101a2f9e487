package dev.cast.torrent;

import dev.cast.torrent.TorrentPeer.ProgressListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.libtorrent4j.TorrentHandle;

/**
 * A download a {@link TorrentPeer} is watching: its torrent, libtorrent handle, listener and {@link
 * Download}, the last progress seen, the web seeds still held back from it, when it last received
 * something new, and its share and seed-sparing state.
 */
final class ActiveDownload {
  final Metainfo meta;
  final TorrentHandle handle;
  final ProgressListener listener;
  final AtomicInteger hashFailures = new AtomicInteger();
  Download download;
  volatile Progress last;
  List<String> heldWebSeeds;
  Share share = Share.WHOLE;
  // Pieces of the share not yet seen finishing in this run; see SeedSparing.mayHoldShare.
  final AtomicInteger shareLeft = new AtomicInteger();
  volatile String sparedSeed;
  boolean spareChecked;
  boolean spareReleased;
  long deliveredBytes;
  long lastDeliveryAt = System.nanoTime();

  ActiveDownload(
      Metainfo meta, TorrentHandle handle, ProgressListener listener, List<String> heldWebSeeds) {
    this.meta = meta;
    this.handle = handle;
    this.listener = listener;
    this.heldWebSeeds = heldWebSeeds;
    this.last = new Progress(0, meta.length(), 0, 0, 0, 0, 0, "added", 0, 0);
  }

  /** Whether the download holds its share and takes nothing from its seed for now. */
  boolean sparesSeed() {
    return sparedSeed != null && spareChecked && !spareReleased;
  }

  /**
   * Notes when the download last received something new. A new high of bytes received counts, as
   * for a stall: rejected pieces are taken back. Time spent checking a partial file counts too.
   */
  void noteDelivery(Progress progress, long now) {
    if (progress.receivedBytes() > deliveredBytes || progress.state().startsWith("checking")) {
      deliveredBytes = Math.max(deliveredBytes, progress.receivedBytes());
      lastDeliveryAt = now;
    }
  }
}
