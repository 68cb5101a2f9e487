package dev.cast.activities.bundle;

import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.DiskSpace;
import dev.cast.activities.host.HostLayout;
import dev.cast.bundle.Digests;
import dev.cast.torrent.Share;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's bundle cache, {@code bundles/<sha256>.tar.gz}. A file is only ever renamed into place
 * after its sha256 was checked, whichever fetcher wrote it, and is checked again before it is used.
 * A bundle fetched over BitTorrent keeps its torrent next to it, {@code <sha256>.torrent}, and is
 * seeded from there.
 *
 * <p>The cache holds at most {@code maxBytes}: past that, the least recently used bundles are
 * deleted, never one a release on disk ({@code apps/*}{@code /releases/.<version>.sha256}) came
 * from, so a rollback or a peer can still use it.
 */
public final class BundleCache {
  private static final Logger LOG = LoggerFactory.getLogger(BundleCache.class);
  private static final String SUFFIX = ".tar.gz";

  private final HostLayout layout;
  private final BundleFetcher fetcher;
  private final BundleSeeder seeder;
  private final long maxBytes;
  private final Map<String, Object> fetching = new ConcurrentHashMap<>();

  /** A cache without a size limit that seeds nothing. */
  public BundleCache(HostLayout layout, BundleFetcher fetcher) {
    this(layout, fetcher, BundleSeeder.none(layout), Long.MAX_VALUE);
  }

  public BundleCache(HostLayout layout, BundleFetcher fetcher, BundleSeeder seeder, long maxBytes) {
    this.layout = layout;
    this.fetcher = fetcher;
    this.seeder = seeder;
    this.maxBytes = maxBytes;
  }

  public HostLayout layout() {
    return layout;
  }

  /**
   * Whether the cache holds the bundle with this sha256; a corrupt cached file is removed. A hit
   * counts as a use (for eviction and seed time).
   */
  public boolean isCached(String sha256) throws IOException {
    Path cached = layout.bundle(sha256);
    if (!Files.exists(cached)) {
      return false;
    }
    if (Digests.sha256(cached).equals(sha256)) {
      Files.setLastModifiedTime(cached, FileTime.fromMillis(System.currentTimeMillis()));
      return true;
    }
    seeder.unseed(sha256);
    Files.delete(cached);
    Files.deleteIfExists(layout.bundleTorrent(sha256));
    return false;
  }

  /**
   * Fetches the bundle into the cache, seeds it when it came with a torrent, and evicts what the
   * size limit asks for. A host staging together with others fetches as {@code share} of them (see
   * {@link BundleFetcher#fetch(BundleSource, Path, Share, Consumer)}).
   *
   * @throws io.temporal.failure.ApplicationFailure BUNDLE_CHECKSUM_MISMATCH, RELEASE_NOT_FOUND
   */
  public Path fetch(
      BundleSource source, String sha256, Share share, Consumer<FetchProgress> progress)
      throws IOException {
    synchronized (fetching.computeIfAbsent(sha256, k -> new Object())) {
      if (isCached(sha256)) {
        return layout.bundle(sha256);
      }
      Path cached = fetchAndVerify(source, sha256, share, progress);
      seeder.seed(sha256);
      evict(sha256);
      return cached;
    }
  }

  /**
   * Bytes a fetch of this bundle would not need to write again: what a BitTorrent download an
   * earlier attempt left in {@code bundles/partial/} holds, at most {@code size}. It is the partial
   * file's length, which libtorrent may have left sparse, so it can overstate what is on disk; an
   * ENOSPC during the download then fails the staging just the same.
   */
  public long partialBytes(String sha256, long size) throws IOException {
    Path partial = layout.partialBundle(sha256);
    return Files.isRegularFile(partial) ? Math.min(size, Files.size(partial)) : 0;
  }

  /**
   * Removes whatever a fetch of this bundle left half-written: the BitTorrent partial file (which
   * otherwise stays for a retry to resume) and the {@code .part} file a fetcher writes the bundle
   * to. For a staging that will not be retried: a permanent failure or a cancellation.
   */
  public void discardPartials(String sha256) throws IOException {
    Path part = partFile(sha256);
    Files.deleteIfExists(part);
    Files.deleteIfExists(BundleFetcher.torrentFile(part));
    if (Files.deleteIfExists(layout.partialBundle(sha256))) {
      LOG.info("removed the partial download of bundle {}", sha256);
    }
  }

  private Path partFile(String sha256) {
    Path cached = layout.bundle(sha256);
    return cached.resolveSibling(cached.getFileName() + ".part");
  }

  private Path fetchAndVerify(
      BundleSource source, String sha256, Share share, Consumer<FetchProgress> progress)
      throws IOException {
    Path cached = layout.bundle(sha256);
    Path part = partFile(sha256);
    Path partTorrent = BundleFetcher.torrentFile(part);
    Files.createDirectories(layout.bundlesDir());
    Files.deleteIfExists(partTorrent);
    try {
      fetcher.fetch(source, part, share, progress);
    } catch (BundleNotFoundException e) {
      discardPartials(sha256);
      throw ApplicationFailures.permanent(
          DeployFailure.RELEASE_NOT_FOUND, "bundle " + source.bundlePath() + " not found", e);
    } catch (StoredBundleCorruptException e) {
      Files.deleteIfExists(part);
      Files.deleteIfExists(partTorrent);
      discardPartials(sha256);
      throw ApplicationFailures.permanent(
          DeployFailure.BUNDLE_CHECKSUM_MISMATCH, e.getMessage(), e);
    } catch (IOException | RuntimeException | Error e) {
      // The .part file is never resumed (an HTTP fetch starts over), so it goes on any failure;
      // the BitTorrent partial file only when no retry will resume it.
      try {
        Files.deleteIfExists(part);
        Files.deleteIfExists(partTorrent);
        if (DiskSpace.ends(e)) {
          discardPartials(sha256);
        }
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    String actual = Digests.sha256(part);
    if (!actual.equals(sha256)) {
      discardPartials(sha256);
      throw ApplicationFailures.permanent(
          DeployFailure.BUNDLE_CHECKSUM_MISMATCH,
          "bundle " + source.bundlePath() + " has sha256 " + actual + ", expected " + sha256);
    }
    if (Files.exists(partTorrent)) {
      Files.move(
          partTorrent,
          layout.bundleTorrent(sha256),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(part, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(cached, FileTime.fromMillis(System.currentTimeMillis()));
    return cached;
  }

  /**
   * Deletes least recently used bundles until the cache holds at most its limit, keeping {@code
   * keep} and every bundle a release on disk came from. A seeding bundle leaves the BitTorrent
   * session before its file is deleted.
   *
   * @return the sha256s of the evicted bundles
   */
  public List<String> evict(String keep) throws IOException {
    List<String> evicted = new ArrayList<>();
    if (maxBytes == Long.MAX_VALUE || !Files.isDirectory(layout.bundlesDir())) {
      return evicted;
    }
    List<Path> bundles = new ArrayList<>();
    long total = 0;
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(layout.bundlesDir(), "*" + SUFFIX)) {
      for (Path f : files) {
        if (Files.isRegularFile(f)) {
          bundles.add(f);
          total += Files.size(f);
        }
      }
    }
    if (total <= maxBytes) {
      return evicted;
    }
    Set<String> inUse = releasedBundles();
    bundles.sort(Comparator.comparing(BundleCache::lastModified));
    for (Path f : bundles) {
      if (total <= maxBytes) {
        break;
      }
      String name = f.getFileName().toString();
      String sha256 = name.substring(0, name.length() - SUFFIX.length());
      if (sha256.equals(keep) || inUse.contains(sha256)) {
        continue;
      }
      long size = Files.size(f);
      seeder.unseed(sha256);
      Files.deleteIfExists(layout.bundleTorrent(sha256));
      Files.deleteIfExists(f);
      total -= size;
      evicted.add(sha256);
      LOG.info("evicted bundle {} ({} bytes) from the cache", sha256, size);
    }
    return evicted;
  }

  /** The sha256s of the bundles whose releases are on disk, from their markers. */
  private Set<String> releasedBundles() throws IOException {
    Set<String> shas = new HashSet<>();
    Path apps = layout.dataDir().resolve("apps");
    if (!Files.isDirectory(apps)) {
      return shas;
    }
    try (DirectoryStream<Path> appDirs = Files.newDirectoryStream(apps)) {
      for (Path app : appDirs) {
        Path releases = app.resolve("releases");
        if (!Files.isDirectory(releases)) {
          continue;
        }
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(releases, ".*.sha256")) {
          for (Path marker : markers) {
            String markerName = marker.getFileName().toString();
            String version = markerName.substring(1, markerName.length() - ".sha256".length());
            if (Files.isDirectory(releases.resolve(version))) {
              shas.add(Files.readString(marker).strip());
            }
          }
        }
      }
    }
    return shas;
  }

  private static FileTime lastModified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
