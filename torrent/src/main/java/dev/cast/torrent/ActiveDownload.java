package dev.cast.torrent;

import dev.cast.torrent.TorrentPeer.ProgressListener;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.libtorrent4j.PeerInfo;
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
    this.last = new Progress(0, meta.length(), 0, 0, 0, 0, 0, "added", 0, 0, Map.of());
  }

  // The most each connected peer (by address and port) was seen to have sent this run: libtorrent
  // forgets a peer's count when it disconnects, so the highest seen stands for it afterwards.
  private final Map<String, Long> sentByPeer = new ConcurrentHashMap<>();
  private final Map<String, String> sourceOfPeer = new ConcurrentHashMap<>();

  /**
   * Payload bytes received this run by where they came from (see {@link Progress#receivedFrom}),
   * counting the peers connected now and the most seen of those gone.
   */
  Map<String, Long> receivedFrom(List<PeerInfo> peers) {
    for (PeerInfo peer : peers) {
      String source =
          peer.connectionType() == PeerInfo.ConnectionType.STANDARD_BITTORRENT
              ? SeedSparing.hostOf(peer.ip())
              : Progress.WEB_SEED;
      sourceOfPeer.put(peer.ip(), source);
      sentByPeer.merge(peer.ip(), peer.totalDownload(), Math::max);
    }
    Map<String, Long> bySource = new TreeMap<>();
    sentByPeer.forEach(
        (peer, bytes) -> {
          if (bytes > 0) {
            bySource.merge(sourceOfPeer.get(peer), bytes, Long::sum);
          }
        });
    return Map.copyOf(bySource);
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
