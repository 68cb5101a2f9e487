package dev.cast.activities.bundle;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.Failures;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.bundle.BundleException;
import dev.cast.bundle.BundleUnpacker;
import dev.cast.bundle.FileTrees;
import dev.cast.bundle.Manifest;
import dev.cast.torrent.TorrentPeer.Share;
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
        throw Failures.permanent(
            DeployFailure.INVALID_BUNDLE,
            "bundle of "
                + request.size()
                + " bytes exceeds this host's limit of "
                + settings.maxBundleBytes());
      }
      long start = System.nanoTime();
      fetched = !cache.isCached(request.sha256());
      Path bundle =
          fetched
              ? cache.fetch(request.bundlePath(), request.sha256(), shareOf(request), progress)
              : settings.layout().bundle(request.sha256());
      long unpacking = System.nanoTime();
      unpack(app, request, bundle);
      writeMarker(app.marker(request.version()), request.sha256());
      LOG.info(
          "staged {} {}: bundle {} in {} ms, unpacked in {} ms",
          request.app(),
          request.version(),
          fetched ? "fetched and checked" : "from the cache",
          (unpacking - start) / 1_000_000,
          (System.nanoTime() - unpacking) / 1_000_000);
    }
    return new StagedRelease(request.version(), ReleaseLinks.version(app.current()), fetched);
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
      throw Failures.permanent(
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
      throw Failures.permanent(DeployFailure.INVALID_BUNDLE, e.getMessage(), e);
    }
    if (!manifest.name().equals(request.app()) || !manifest.version().equals(request.version())) {
      FileTrees.deleteRecursively(dir);
      throw Failures.permanent(
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
