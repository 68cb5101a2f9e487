package dev.cast.worker;

import dev.cast.activities.bundle.BundleCache;
import dev.cast.activities.bundle.BundleFetcher;
import dev.cast.activities.bundle.BundleSeeder;
import dev.cast.activities.bundle.HttpBundleFetcher;
import dev.cast.activities.bundle.TorrentBundleFetcher;
import dev.cast.activities.host.HostSettings;
import dev.cast.torrent.TorrentNative;
import dev.cast.torrent.TorrentPeer;
import java.io.IOException;
import java.net.URI;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's bundle cache and how it fills it: over BitTorrent (downloading from other hosts and
 * the api's web seed, seeding what it fetched) when {@code torrent.enabled} and libtorrent loads,
 * over HTTP otherwise. Closing it stops the BitTorrent peer.
 */
final class BundleSharing implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BundleSharing.class);

  private final BundleCache cache;
  private final BundleSeeder seeder;
  private final TorrentPeer peer;

  private BundleSharing(BundleCache cache, BundleSeeder seeder, TorrentPeer peer) {
    this.cache = cache;
    this.seeder = seeder;
    this.peer = peer;
  }

  static BundleSharing open(
      HostSettings settings, String api, SSLContext tls, TorrentConfiguration torrent)
      throws IOException {
    HttpBundleFetcher http = new HttpBundleFetcher(URI.create(api), tls);
    long cacheBytes = torrent.getCacheSize().toBytes();
    TorrentPeer peer = null;
    if (torrent.isEnabled() && api.regionMatches(true, 0, "https:", 0, 6)) {
      // The tracker and the web seed are the api's REST port: libtorrent would reach them over
      // HTTPS with its own TLS stack, which knows neither --ca-cert nor a private CA, and find no
      // peers (each download would stall until stallTimeout).
      log.warn(
          "BitTorrent is off: the api is {}, and libtorrent cannot verify its certificate against"
              + " --ca-cert for the tracker and web seed; bundles are fetched over HTTPS",
          api);
    } else if (torrent.isEnabled()) {
      peer = startPeer(settings, torrent);
    }
    if (peer == null) {
      BundleSeeder none = BundleSeeder.none(settings.layout());
      return new BundleSharing(
          new BundleCache(settings.layout(), http, none, cacheBytes), none, null);
    }
    BundleSeeder seeder =
        new BundleSeeder(peer, settings.layout(), ConfigDurations.javaTime(torrent.getSeedTime()));
    BundleFetcher fetcher =
        new TorrentBundleFetcher(
            http,
            peer,
            settings.layout().partialBundlesDir(),
            ConfigDurations.javaTime(torrent.getStallTimeout()));
    BundleSharing sharing =
        new BundleSharing(
            new BundleCache(settings.layout(), fetcher, seeder, cacheBytes), seeder, peer);
    try {
      int seeding = seeder.reseedCache();
      sharing.cache.evict(null);
      log.info(
          "BitTorrent peer on port {} ({}); {} cached bundles seeding",
          peer.listenPort(),
          torrent.listenFor(settings.address()),
          seeding);
    } catch (IOException | RuntimeException e) {
      sharing.close();
      throw e;
    }
    return sharing;
  }

  /** The peer, or null (and one warning saying why) when bundles must come over HTTP. */
  private static TorrentPeer startPeer(HostSettings settings, TorrentConfiguration torrent) {
    TorrentNative.Availability availability =
        TorrentNative.load(settings.dataDir().resolve("native"));
    if (!availability.available()) {
      log.warn(
          "BitTorrent is unavailable, bundles will be fetched over HTTP: {}",
          availability.reason());
      return null;
    }
    String listen = torrent.listenFor(settings.address());
    try {
      TorrentPeer.Options options =
          TorrentPeer.Options.defaults()
              .withListenInterfaces(listen)
              .withWebSeedDelay(ConfigDurations.javaTime(torrent.getWebSeedDelay()));
      if (torrent.getUploadRate() != null) {
        options =
            options.withUploadRateLimit(
                (int) Math.min(Integer.MAX_VALUE, torrent.getUploadRate().toBytes()));
      }
      return TorrentPeer.start(options);
    } catch (RuntimeException e) {
      log.warn(
          "BitTorrent could not start on {}, bundles will be fetched over HTTP: {}",
          listen,
          e.getMessage());
      return null;
    }
  }

  BundleCache cache() {
    return cache;
  }

  /** The BitTorrent peer, or null when bundles come over HTTP. */
  TorrentPeer peer() {
    return peer;
  }

  @Override
  public void close() {
    seeder.close();
    if (peer != null) {
      peer.close();
    }
  }
}
