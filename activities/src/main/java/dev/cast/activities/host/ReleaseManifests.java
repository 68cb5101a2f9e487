package dev.cast.activities.host;

import dev.cast.bundle.BundleException;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ManifestParser;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the manifest of a staged release. */
public final class ReleaseManifests {
  private ReleaseManifests() {}

  /**
   * @throws io.temporal.failure.ApplicationFailure RELEASE_NOT_FOUND when the release is not
   *     staged, INVALID_BUNDLE when its manifest does not parse
   */
  public static Manifest load(AppLayout app, String version) throws IOException {
    Path file = app.releaseDir(version).resolve(Manifest.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw ApplicationFailures.permanent(
          DeployFailure.RELEASE_NOT_FOUND,
          app.app() + " " + version + " is not staged on this host");
    }
    try {
      return ManifestParser.parse(Files.readAllBytes(file));
    } catch (BundleException e) {
      throw ApplicationFailures.permanent(DeployFailure.INVALID_BUNDLE, e.getMessage(), e);
    }
  }

  /** The manifest, or nothing when the release is gone or unreadable. */
  public static Optional<Manifest> find(AppLayout app, String version) {
    try {
      return Optional.of(load(app, version));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
