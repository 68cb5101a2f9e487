package dev.cast.activities.bundle;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.DiskSpace;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.bundle.BundleException;
import dev.cast.bundle.BundleUnpacker;
import dev.cast.bundle.FileTrees;
import dev.cast.bundle.Manifest;
import dev.cast.torrent.Share;
import dev.cast.workflows.host.StageRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a release on the host: bundle into the cache, unpacked to {@code releases/<version>}, then
 * the marker {@code releases/.<version>.sha256}. The marker is written last, so a release dir
 * without one is the leftover of an interrupted staging.
 */
public final class ReleaseStager {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseStager.class);
  private final HostSettings settings;
  private final BundleCache cache;

  public ReleaseStager(HostSettings settings, BundleCache cache) {
    this.settings = settings;
    this.cache = cache;
  }

  public StagedRelease stage(StageRequest request, Consumer<FetchProgress> progress)
      throws IOException {
    AppLayout app = settings.layout().app(request.app());
    boolean staged = alreadyStaged(app, request);
    boolean fetched = false;
    if (!staged) {
      if (request.size() > settings.maxBundleBytes()) {
        throw ApplicationFailures.permanent(
            DeployFailure.INVALID_BUNDLE,
            "bundle of "
                + request.size()
                + " bytes exceeds this host's limit of "
                + settings.maxBundleBytes());
      }
      long start = System.nanoTime();
      fetched = !cache.isCached(request.sha256());
      String what = "staging " + request.app() + "@" + request.version();
      Path bundle = null;
      try {
        bundle =
            fetched ? fetch(request, what, progress) : settings.layout().bundle(request.sha256());
        long unpacking = System.nanoTime();
        DiskSpace.require(
            what,
            settings.diskReserveBytes(),
            new DiskSpace.Need(app.releasesDir(), BundleUnpacker.estimatedUnpackedBytes(bundle)));
        unpack(app, request, bundle);
        writeMarker(app.marker(request.version()), request.sha256());
        LOG.info(
            "staged {} {}: bundle {} in {} ms, unpacked in {} ms",
            request.app(),
            request.version(),
            fetched ? "fetched and checked" : "from the cache",
            (unpacking - start) / 1_000_000,
            (System.nanoTime() - unpacking) / 1_000_000);
      } catch (IOException | RuntimeException | Error e) {
        throw failed(app, request, what, bundle, e);
      }
    }
    return new StagedRelease(request.version(), ReleaseLinks.version(app.current()), fetched);
  }

  /**
   * Checks that the bundle fits before fetching it, then fetches it into the cache. The unpacked
   * size is not known until the bundle is here; the bundle's own size stands in for it (a gzipped
   * release practically never unpacks to less), so a host that cannot hold both fails before it
   * downloads anything. The unpack is checked again once the bundle is here.
   */
  private Path fetch(StageRequest request, String what, Consumer<FetchProgress> progress)
      throws IOException {
    long bundleNeed = request.size() - cache.partialBytes(request.sha256(), request.size());
    DiskSpace.require(
        what,
        settings.diskReserveBytes(),
        new DiskSpace.Need(settings.layout().bundlesDir(), bundleNeed),
        new DiskSpace.Need(
            settings.layout().app(request.app()).releasesDir(), Math.max(0, request.size())));
    return cache.fetch(
        new BundleSource(request.bundlePath(), request.torrentPath()),
        request.sha256(),
        shareOf(request),
        progress);
  }

  /**
   * What a failed staging throws, after cleaning up: ENOSPC becomes INSUFFICIENT_DISK; when no
   * retry will follow (a permanent failure, ENOSPC, a cancellation) the partial downloads go, and
   * after ENOSPC the half-written release too (the unpack already removed its temp dir).
   */
  private RuntimeException failed(
      AppLayout app, StageRequest request, String what, Path bundle, Throwable e)
      throws IOException {
    boolean full = DiskSpace.isFull(e);
    if (DiskSpace.ends(e)) {
      try {
        cache.discardPartials(request.sha256());
        if (full && !alreadyMarked(app, request)) {
          FileTrees.deleteRecursively(app.releaseDir(request.version()));
          Path marker = app.marker(request.version());
          Files.deleteIfExists(marker.resolveSibling(marker.getFileName() + ".tmp"));
        }
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
    }
    if (full) {
      Path where =
          bundle == null ? settings.layout().bundlesDir() : app.releaseDir(request.version());
      LOG.warn("{} ran out of disk space in {}", what, where, e);
      throw DiskSpace.full(what, where, e);
    }
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof Error error) {
      throw error;
    }
    return (RuntimeException) e;
  }

  private static boolean alreadyMarked(AppLayout app, StageRequest request) throws IOException {
    Path marker = app.marker(request.version());
    return Files.exists(marker) && request.sha256().equals(Files.readString(marker).strip());
  }

  /** The host's share among those staging the release together; the whole when it is alone. */
  private static Share shareOf(StageRequest request) {
    return request.shares() > 1 && request.share() >= 0 && request.share() < request.shares()
        ? new Share(request.share(), request.shares())
        : Share.WHOLE;
  }

  /** Whether the release is there from the same bundle; removes leftovers of a crashed staging. */
  private static boolean alreadyStaged(AppLayout app, StageRequest request) throws IOException {
    Path dir = app.releaseDir(request.version());
    if (!Files.exists(dir)) {
      return false;
    }
    Path marker = app.marker(request.version());
    String sha = Files.exists(marker) ? Files.readString(marker).strip() : null;
    if (request.sha256().equals(sha)) {
      return true;
    }
    boolean inUse =
        request.version().equals(ReleaseLinks.version(app.current()))
            || request.version().equals(ReleaseLinks.version(app.previous()));
    if (sha != null || inUse) {
      throw ApplicationFailures.permanent(
          DeployFailure.INVALID_REQUEST,
          app.app()
              + " "
              + request.version()
              + " is already on this host from bundle "
              + Objects.requireNonNullElse(sha, "(unknown)")
              + ", not "
              + request.sha256());
    }
    FileTrees.deleteRecursively(dir);
    return false;
  }

  private void unpack(AppLayout app, StageRequest request, Path bundle) throws IOException {
    Path dir = app.releaseDir(request.version());
    Manifest manifest;
    try {
      // The cache checked the bundle's sha256 just before it was handed out.
      manifest =
          BundleUnpacker.unpackChecked(
              bundle,
              dir,
              settings.maxBundleBytes(),
              settings.maxBundleEntries(),
              settings.directWrites());
    } catch (BundleException e) {
      throw ApplicationFailures.permanent(DeployFailure.INVALID_BUNDLE, e.getMessage(), e);
    }
    if (!manifest.name().equals(request.app()) || !manifest.version().equals(request.version())) {
      FileTrees.deleteRecursively(dir);
      throw ApplicationFailures.permanent(
          DeployFailure.INVALID_BUNDLE,
          "bundle "
              + request.bundlePath()
              + " holds "
              + manifest.name()
              + " "
              + manifest.version()
              + ", not "
              + request.app()
              + " "
              + request.version());
    }
  }

  private static void writeMarker(Path marker, String sha256) throws IOException {
    Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
    Files.writeString(tmp, sha256 + "\n");
    Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
