package dev.cast.activities.bundle;

import dev.cast.activities.host.Failures;
import dev.cast.activities.host.HostLayout;
import dev.cast.bundle.Digests;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.LongConsumer;

/**
 * The host's bundle cache, {@code bundles/<sha256>.tar.gz}. A file is only ever renamed into place
 * after its sha256 was checked, and is checked again before it is used.
 */
public final class BundleCache {
  private final HostLayout layout;
  private final BundleFetcher fetcher;

  public BundleCache(HostLayout layout, BundleFetcher fetcher) {
    this.layout = layout;
    this.fetcher = fetcher;
  }

  /** Whether the cache holds the bundle with this sha256; a corrupt cached file is removed. */
  public boolean isCached(String sha256) throws IOException {
    Path cached = layout.bundle(sha256);
    if (!Files.exists(cached)) {
      return false;
    }
    if (Digests.sha256(cached).equals(sha256)) {
      return true;
    }
    Files.delete(cached);
    return false;
  }

  /**
   * Fetches the bundle into the cache.
   *
   * @throws io.temporal.failure.ApplicationFailure BUNDLE_CHECKSUM_MISMATCH, RELEASE_NOT_FOUND
   */
  public Path fetch(String bundlePath, String sha256, LongConsumer bytesDone) throws IOException {
    Path cached = layout.bundle(sha256);
    Path part = cached.resolveSibling(cached.getFileName() + ".part");
    Files.createDirectories(layout.bundlesDir());
    try {
      fetcher.fetch(bundlePath, part, bytesDone);
    } catch (BundleNotFoundException e) {
      Files.deleteIfExists(part);
      throw Failures.permanent(
          DeployFailure.RELEASE_NOT_FOUND, "bundle " + bundlePath + " not found", e);
    }
    String actual = Digests.sha256(part);
    if (!actual.equals(sha256)) {
      Files.deleteIfExists(part);
      throw Failures.permanent(
          DeployFailure.BUNDLE_CHECKSUM_MISMATCH,
          "bundle " + bundlePath + " has sha256 " + actual + ", expected " + sha256);
    }
    Files.move(part, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return cached;
  }
}
