package dev.cast.activities.bundle;

import dev.cast.activities.host.HostLayout;
import dev.cast.torrent.Metainfo;
import dev.cast.torrent.TorrentPeer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds bundles from the host's cache ({@code bundles/<sha256>.tar.gz} next to {@code
 * <sha256>.torrent}) for {@code seedTime} after each was fetched or last used, so hosts staging the
 * same release fetch it from each other rather than all from the api. Without a peer (BitTorrent
 * off or unavailable) every method is a no-op.
 */
public final class BundleSeeder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BundleSeeder.class);

  private final TorrentPeer peer;
  private final HostLayout layout;
  private final Duration seedTime;
  private final ScheduledExecutorService timer;
  private final Map<String, Seeding> seeding = new ConcurrentHashMap<>();

  private record Seeding(String infoHash, ScheduledFuture<?> expiry) {}

  /**
   * @param peer the agent's BitTorrent peer, or null for none
   * @param seedTime how long a bundle seeds after it was fetched or last used
   */
  public BundleSeeder(TorrentPeer peer, HostLayout layout, Duration seedTime) {
    this.peer = peer;
    this.layout = layout;
    this.seedTime = seedTime;
    this.timer =
        peer == null
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "cast-bundle-seeder");
                  t.setDaemon(true);
                  return t;
                });
  }

  /** A seeder that seeds nothing. */
  public static BundleSeeder none(HostLayout layout) {
    return new BundleSeeder(null, layout, Duration.ZERO);
  }

  /** Whether bundles are seeded at all. */
  public boolean active() {
    return peer != null;
  }

  /** Seeds the cached bundle for {@code seedTime} from now, if its torrent is in the cache. */
  public void seed(String sha256) {
    seed(sha256, seedTime);
  }

  /**
   * Seeds every cached bundle that has its torrent, for what is left of its {@code seedTime}
   * counted from the bundle file's last use (its modification time); for an agent that restarts.
   *
   * @return how many bundles now seed
   */
  public int reseedCache() throws IOException {
    if (peer == null || !Files.isDirectory(layout.bundlesDir())) {
      return 0;
    }
    int seeded = 0;
    try (DirectoryStream<Path> torrents =
        Files.newDirectoryStream(layout.bundlesDir(), "*.torrent")) {
      for (Path torrent : torrents) {
        String name = torrent.getFileName().toString();
        String sha256 = name.substring(0, name.length() - ".torrent".length());
        Path bundle = layout.bundle(sha256);
        if (!Files.isRegularFile(bundle)) {
          continue;
        }
        Instant used = Files.getLastModifiedTime(bundle).toInstant();
        Duration left = seedTime.minus(Duration.between(used, Instant.now()));
        if (!left.isNegative() && !left.isZero() && seed(sha256, left)) {
          seeded++;
        }
      }
    }
    return seeded;
  }

  /** Stops seeding the bundle; before its file is deleted. */
  public void unseed(String sha256) {
    Seeding s = seeding.remove(sha256);
    if (s != null) {
      s.expiry().cancel(false);
      peer.remove(s.infoHash());
    }
  }

  /** The bundles seeding now, by sha256. */
  public Set<String> seeding() {
    return Set.copyOf(seeding.keySet());
  }

  private boolean seed(String sha256, Duration time) {
    if (peer == null || time.isZero() || time.isNegative()) {
      return false;
    }
    Path torrentFile = layout.bundleTorrent(sha256);
    try {
      if (!Files.isRegularFile(torrentFile)) {
        return false;
      }
      byte[] torrent = Files.readAllBytes(torrentFile);
      Metainfo meta = Metainfo.parse(torrent);
      if (!meta.name().equals(layout.bundle(sha256).getFileName().toString())) {
        LOG.warn("not seeding {}: its torrent names {}", sha256, meta.name());
        return false;
      }
      String infoHash = peer.seed(torrent, layout.bundlesDir());
      ScheduledFuture<?> expiry =
          timer.schedule(() -> expire(sha256), time.toMillis(), TimeUnit.MILLISECONDS);
      Seeding previous = seeding.put(sha256, new Seeding(infoHash, expiry));
      if (previous != null) {
        previous.expiry().cancel(false);
      }
      LOG.debug("seeding bundle {} ({}) for {}", sha256, infoHash, time);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot seed bundle {}: {}", sha256, e.toString());
      return false;
    }
  }

  private void expire(String sha256) {
    Seeding s = seeding.get(sha256);
    if (s != null && seeding.remove(sha256, s)) {
      peer.remove(s.infoHash());
      LOG.debug("bundle {} no longer seeds: its seed time passed", sha256);
    }
  }

  /** Stops the timer; the peer is the caller's to close. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
