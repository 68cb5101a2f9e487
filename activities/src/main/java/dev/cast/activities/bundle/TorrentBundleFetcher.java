package dev.cast.activities.bundle;

import dev.cast.activities.host.DiskSpace;
import dev.cast.torrent.Download;
import dev.cast.torrent.Metainfo;
import dev.cast.torrent.Progress;
import dev.cast.torrent.Share;
import dev.cast.torrent.TorrentException;
import dev.cast.torrent.TorrentPeer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches bundles over BitTorrent: {@code GET <api><torrentPath>} (the path the api named in the
 * staging request, e.g. {@code /v1/apps/<app>/releases/<version>/torrent?cap=…}), then a download
 * from the tracker's peers and the api's web seed into {@code bundles/partial/}, which is moved to
 * the target once every piece is verified. The partial file stays across attempts and agent
 * restarts, so the next attempt resumes it; it is removed when the activity is cancelled, when the
 * disk is full, and once HTTP took over (before, where the disk cannot hold both).
 *
 * <p>Falls back to {@link HttpBundleFetcher}, with a warning naming why, when the api has no
 * torrent for the release (404: pushed before BitTorrent, or an api without it), when the torrent
 * cannot be fetched or read, when the download fails, and when it makes no progress for {@code
 * stallTimeout}.
 */
public final class TorrentBundleFetcher implements BundleFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(TorrentBundleFetcher.class);
  private static final Duration TICK = Duration.ofMillis(250);
  private static final int MAX_TORRENT_BYTES = 4 * 1024 * 1024;

  private final HttpBundleFetcher http;
  private final TorrentPeer peer;
  private final Path partialDir;
  private final Duration stallTimeout;

  /**
   * @param http the api's HTTP fetcher: it resolves paths against the api's base URL, and takes
   *     over when BitTorrent cannot
   * @param peer the agent's BitTorrent peer
   * @param partialDir where downloads are written until complete, e.g. {@code bundles/partial}
   * @param stallTimeout how long a download may make no progress before HTTP takes over
   */
  public TorrentBundleFetcher(
      HttpBundleFetcher http, TorrentPeer peer, Path partialDir, Duration stallTimeout) {
    this.http = http;
    this.peer = peer;
    this.partialDir = partialDir;
    this.stallTimeout = stallTimeout;
  }

  @Override
  public void fetch(String bundlePath, Path target, Consumer<FetchProgress> progress)
      throws IOException {
    http.fetch(bundlePath, target, progress);
  }

  @Override
  public void fetch(BundleSource source, Path target, Share share, Consumer<FetchProgress> progress)
      throws IOException {
    String bundlePath = source.bundlePath();
    String torrentPath = source.torrentPath();
    if (torrentPath == null) {
      // The api has no swarm (or recorded the request before it named torrents): not a fault.
      LOG.info("fetching {} over HTTP: the api names no torrent for it", bundlePath);
      http.fetch(bundlePath, target, progress);
      return;
    }
    Metainfo meta;
    try {
      meta = Metainfo.parse(http.getSmall(torrentPath, MAX_TORRENT_BYTES));
    } catch (BundleNotFoundException e) {
      fallBack(
          bundlePath, target, progress, "the api has no torrent for it (" + e.getMessage() + ")");
      return;
    } catch (IOException | RuntimeException e) {
      fallBack(bundlePath, target, progress, "its torrent could not be fetched: " + e);
      return;
    }
    if (meta.name().contains("/") || meta.name().startsWith(".")) {
      fallBack(bundlePath, target, progress, "its torrent names the file " + meta.name());
      return;
    }
    Path partial = partialDir.resolve(meta.name());
    try {
      String failure = download(meta, target, share, progress);
      if (failure != null) {
        fallBackAfter(failure, meta, partial, bundlePath, target, progress);
      }
    } catch (IOException | RuntimeException | Error e) {
      // Cancelled, or the disk is full: no retry resumes the partial file, so it goes now rather
      // than keeping the disk full. Other failures keep it for the retry.
      if (DiskSpace.ends(e)) {
        discard(meta, partial);
      }
      throw e;
    }
  }

  /**
   * HTTP after a failed download. The partial file goes once HTTP has the bundle; before, when the
   * disk could not hold the HTTP copy beside it (the check before the fetch counted on reusing it).
   * Otherwise it stays until then, so a retry can still resume it if HTTP fails too.
   */
  private void fallBackAfter(
      String failure,
      Metainfo meta,
      Path partial,
      String bundlePath,
      Path target,
      Consumer<FetchProgress> progress)
      throws IOException {
    if (DiskSpace.isFull(failure)) {
      throw new IOException("BitTorrent download of " + meta.name() + " failed: " + failure);
    }
    if (Files.exists(partial) && Files.getFileStore(partial).getUsableSpace() < meta.length()) {
      discard(meta, partial);
    }
    fallBack(bundlePath, target, progress, failure);
    discard(meta, partial);
  }

  /** Takes the download out of the session (which closes its file) and deletes its file. */
  private void discard(Metainfo meta, Path partial) throws IOException {
    peer.remove(meta.infoHash());
    if (Files.deleteIfExists(partial)) {
      LOG.info("removed the partial download {}", partial);
    }
  }

  /** Downloads into the partial dir and moves the file to {@code target}; null, or why not. */
  private String download(Metainfo meta, Path target, Share share, Consumer<FetchProgress> progress)
      throws IOException {
    Path partial = partialDir.resolve(meta.name());
    boolean resuming = Files.isRegularFile(partial) && Files.size(partial) > 0;
    Download download;
    try {
      download =
          peer.download(
              meta.bytes(), partialDir, List.of(), share, TorrentPeer.ProgressListener.none());
    } catch (TorrentException | IllegalStateException e) {
      return "BitTorrent refused it: " + e.getMessage();
    }
    InetAddress api = apiAddress();
    if (share.count() > 1 && api != null) {
      peer.spareSeed(meta.infoHash(), api);
    }
    String seedHost = api == null ? null : api.getHostAddress();
    boolean complete = false;
    try {
      long lastSeen = -1;
      long lastProgressAt = System.nanoTime();
      while (!(complete = download.await(TICK))) {
        Progress p = download.progress();
        progress.accept(progressOf(p, seedHost));
        if (resuming && checked(p)) {
          resuming = false;
          // A lower bound: pieces verified this run may already count in bytesDone.
          LOG.info(
              "resuming {} with {} of {} bytes already here",
              meta.name(),
              Math.max(0, p.bytesDone() - p.downloadedThisRun()),
              p.totalBytes());
        }
        // Only a new high counts: a piece that fails its hash check is taken back, so a bad peer
        // that keeps reconnecting to send the same corrupt piece does not hold off HTTP.
        long seen = p.receivedBytes();
        if (seen > lastSeen || p.state().startsWith("checking")) {
          lastSeen = Math.max(lastSeen, seen);
          lastProgressAt = System.nanoTime();
        } else if (System.nanoTime() - lastProgressAt > stallTimeout.toNanos()) {
          return "its download made no progress for "
              + stallTimeout.toSeconds()
              + " s ("
              + p.bytesDone()
              + " of "
              + p.totalBytes()
              + " bytes, "
              + p.peers()
              + " peers)";
        }
      }
      progress.accept(progressOf(download.progress(), seedHost));
    } catch (TorrentException e) {
      return "its download failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while downloading " + meta.name());
    } finally {
      if (!complete) {
        download.cancel();
      }
    }
    // Out of the session before the file moves: libtorrent holds it open while seeding.
    peer.remove(meta.infoHash());
    Files.move(download.file(), target, StandardCopyOption.REPLACE_EXISTING);
    Files.write(BundleFetcher.torrentFile(target), meta.bytes());
    LOG.info(
        "fetched {} over BitTorrent ({} bytes, {} downloaded this run)",
        meta.name(),
        meta.length(),
        download.progress().downloadedThisRun());
    return null;
  }

  /** The api's address: its seeder is spared once this host holds its share; null if unknown. */
  private InetAddress apiAddress() {
    try {
      return InetAddress.getByName(http.resolve("/").getHost());
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot resolve the api's address", e);
      return null;
    }
  }

  /** Whether libtorrent is past checking what an earlier run left in the partial file. */
  private static boolean checked(Progress p) {
    return p.state().equals("downloading")
        || p.state().equals("finished")
        || p.state().equals("seeding");
  }

  /**
   * {@code p} for a heartbeat, its bytes' senders named by kind: the seed is at {@code seedHost}.
   */
  private static FetchProgress progressOf(Progress p, String seedHost) {
    Map<String, Long> received = new TreeMap<>();
    p.receivedFrom()
        .forEach(
            (from, bytes) ->
                received.merge(
                    from.equals(Progress.WEB_SEED)
                        ? FetchProgress.WEB_SEED
                        : from.equals(seedHost) ? FetchProgress.SEED : FetchProgress.PEER,
                    bytes,
                    Long::sum));
    long rest = p.downloadedThisRun() - received.values().stream().mapToLong(Long::longValue).sum();
    if (rest > 0) {
      received.put(FetchProgress.UNATTRIBUTED, rest);
    }
    return new FetchProgress(
        p.bytesDone(),
        p.totalBytes(),
        p.peers(),
        p.downloadRate(),
        "torrent",
        p.hashFailures(),
        Map.copyOf(received));
  }

  private void fallBack(
      String bundlePath, Path target, Consumer<FetchProgress> progress, String why)
      throws IOException {
    LOG.warn("fetching {} over HTTP instead of BitTorrent: {}", bundlePath, why);
    http.fetch(bundlePath, target, progress);
  }
}
