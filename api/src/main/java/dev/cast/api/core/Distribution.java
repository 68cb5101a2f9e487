package dev.cast.api.core;

import dev.cast.api.db.ReleaseDao;
import dev.cast.api.db.ReleaseRow;
import dev.cast.torrent.Metainfo;
import dev.cast.torrent.TorrentCreator;
import dev.cast.torrent.TorrentNative;
import dev.cast.torrent.TorrentPeer;
import dev.cast.torrent.Tracker;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How release bundles leave the api: a v1 torrent of every pushed bundle (kept beside it as {@code
 * <sha256>.torrent}), the private tracker that lets hosts find each other, the api's own libtorrent
 * seeder, and the counters that show how much the api itself uploaded. When the native library
 * cannot load, torrents and the tracker still work (hosts and other clients fall back to the HTTP
 * web seed listed in each torrent) and the reason is logged once.
 */
public final class Distribution implements Managed {
  private final ReleaseUrls urls;
  private static final Logger log = LoggerFactory.getLogger(Distribution.class);

  private final ReleaseStore store;
  private final ReleaseDao releases;
  private final Path nativeCache;
  private final int uploadRate;
  private final Tracker tracker = new Tracker();
  private final Map<String, Metainfo> torrents = new ConcurrentHashMap<>();
  private volatile TorrentPeer seeder;
  private volatile String unavailable = "not started yet";
  private volatile String localTracker;
  private volatile String listen = "0.0.0.0:0";

  /**
   * @param nativeCache where the libtorrent native library is extracted
   * @param uploadRate the seeder's upload cap in bytes per second; 0 for none
   */
  public Distribution(
      ReleaseStore store, ReleaseDao releases, ReleaseUrls urls, Path nativeCache, int uploadRate) {
    this.store = store;
    this.urls = urls;
    this.releases = releases;
    this.nativeCache = nativeCache;
    this.uploadRate = uploadRate;
  }

  /**
   * Where the seeder listens: the REST api's {@code bindHost} (null or empty: every interface), so
   * it is reachable from where the api is and no further.
   */
  public void listenOn(String bindHost) {
    if (bindHost == null || bindHost.isEmpty()) {
      listen = "0.0.0.0:0";
    } else {
      listen = (bindHost.contains(":") ? "[" + bindHost + "]" : bindHost) + ":0";
    }
  }

  /**
   * Starts seeding once the api listens on {@code port}: the seeder announces to the tracker on
   * loopback, and the tracker hands it to other hosts at the address they reached the api at.
   */
  public void start(int port) {
    localTracker = "http://127.0.0.1:" + port + Tracker.ANNOUNCE_PATH;
    TorrentNative.Availability native_ = TorrentNative.load(nativeCache);
    if (native_.available()) {
      try {
        TorrentPeer.Options options = TorrentPeer.Options.defaults().withListenInterfaces(listen);
        seeder =
            TorrentPeer.start(uploadRate > 0 ? options.withUploadRateLimit(uploadRate) : options);
        unavailable = null;
        log.info(
            "seeding bundles over BitTorrent (libtorrent {}) on port {}",
            native_.libtorrentVersion(),
            seeder.listenPort());
      } catch (RuntimeException e) {
        unavailable = "the seeder did not start: " + e.getMessage();
      }
    } else {
      unavailable = native_.reason();
    }
    if (unavailable != null) {
      log.warn(
          "BitTorrent is unavailable ({}); hosts fetch bundles over HTTP (the web seed)",
          unavailable);
    }
    for (ReleaseRow row : allReleases()) {
      try {
        publish(row);
      } catch (RuntimeException e) {
        log.error("cannot publish {}@{}: {}", row.app(), row.version(), e.getMessage());
      }
    }
  }

  /** Makes (once) the torrent of a pushed release, lets the tracker serve it, and seeds it. */
  public Metainfo publish(ReleaseRow row) {
    // Never make a torrent of, or seed, a bundle damaged on disk (hashed once per file state).
    store.requireIntact(row);
    Metainfo torrent = torrents.computeIfAbsent(row.sha256(), sha -> load(row));
    tracker.allow(torrent.infoHash());
    TorrentPeer peer = seeder;
    if (peer != null && localTracker != null) {
      // The seeder reaches its own tracker on loopback, whatever URLs the stored file names.
      String local =
          localTracker.substring(0, localTracker.length() - Tracker.ANNOUNCE_PATH.length());
      peer.seed(
          torrent.withUrls(
              localTracker, List.of(local + urls.signedBundle(row.app(), row.version()))),
          store.bundleFile(row.sha256()).getParent());
    }
    return torrent;
  }

  private Metainfo load(ReleaseRow row) {
    Path file = torrentFile(row.sha256());
    try {
      if (Files.exists(file)) {
        return Metainfo.parse(Files.readAllBytes(file));
      }
      Metainfo made =
          TorrentCreator.of(store.bundleFile(row.sha256()))
              .name(row.sha256() + ".tar.gz")
              // Placeholders: the URLs are set per reader (torrentFor) and for the seeder.
              .announce("http://127.0.0.1" + Tracker.ANNOUNCE_PATH)
              .webSeed("http://127.0.0.1" + ReleaseUrls.bundle(row.app(), row.version()))
              .privateTorrent(true)
              .create();
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(temp, made.bytes());
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return made;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The release's torrent with its tracker and web seed at {@code baseUrl}, the address the client
   * reached the api at (so whoever could fetch the torrent can reach both).
   */
  public Optional<byte[]> torrentFor(ReleaseRow row, String baseUrl) {
    Metainfo torrent = torrents.get(row.sha256());
    if (torrent == null) {
      return Optional.empty();
    }
    String base = baseUrl.replaceAll("/+$", "");
    return Optional.of(
        torrent.withUrls(
            base + Tracker.ANNOUNCE_PATH,
            List.of(base + urls.signedBundle(row.app(), row.version()))));
  }

  /** The info-hash of a release's torrent, when it has one. */
  public Optional<String> infoHash(ReleaseRow row) {
    return Optional.ofNullable(torrents.get(row.sha256())).map(Metainfo::infoHash);
  }

  public byte[] announce(String rawQuery, InetAddress remote, InetAddress local) {
    return tracker.announce(rawQuery, remote, local);
  }

  public byte[] scrape(String rawQuery) {
    return tracker.scrape(rawQuery);
  }

  /** What the api itself sent: seeded over BitTorrent and served over HTTP, and the swarms. */
  public Map<String, Object> counters() {
    TorrentPeer peer = seeder;
    Map<String, Object> swarms = new TreeMap<>();
    tracker
        .stats()
        .forEach(
            (hash, stats) ->
                swarms.put(
                    hash,
                    Map.of(
                        "seeders", stats.seeders(),
                        "leechers", stats.leechers(),
                        "completed", stats.completed(),
                        "seederUploadedBytes", peer == null ? 0 : peer.uploadedBytes(hash))));
    Map<String, Object> counters = new LinkedHashMap<>();
    counters.put("bittorrent", unavailable == null ? "available" : "unavailable: " + unavailable);
    counters.put("seederUploadedBytes", peer == null ? 0 : peer.totalUploadedBytes());
    counters.put("httpBundleBytesServed", store.bytesServed());
    counters.put("swarms", swarms);
    return counters;
  }

  private List<ReleaseRow> allReleases() {
    List<ReleaseRow> all = new ArrayList<>();
    for (String app : releases.apps()) {
      all.addAll(releases.list(app));
    }
    return all;
  }

  private Path torrentFile(String sha256) {
    return store.bundleFile(sha256).resolveSibling(sha256 + ".torrent");
  }

  @Override
  public void stop() {
    TorrentPeer peer = seeder;
    seeder = null;
    if (peer != null) {
      peer.close();
    }
  }
}
