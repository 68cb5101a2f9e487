package dev.cast.activities.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One app's files on a host.
 *
 * <pre>
 * releases/&lt;version&gt;/        unpacked release
 * releases/.&lt;version&gt;.sha256  marker: the bundle the release came from
 * releases/.&lt;version&gt;.config.json  what its templates rendered at its last switch (masked)
 * releases/.&lt;version&gt;.shared-config/  its own copies of rendered files that live in shared/
 * releases/.&lt;version&gt;.config-&lt;deployment&gt;/  a config rollout's new files and the ones they replace
 * current, previous           relative symlinks to releases/&lt;version&gt;
 * shared/                     data kept across releases
 * logs/&lt;service&gt;.log, logs/hooks.log
 * run/&lt;service&gt;.json          the running process of a service
 * </pre>
 */
public record AppLayout(Path dir) {

  public String app() {
    return dir.getFileName().toString();
  }

  public Path releasesDir() {
    return dir.resolve("releases");
  }

  public Path releaseDir(String version) {
    return releasesDir().resolve(version);
  }

  /** The versions unpacked under {@code releases/} (directories not starting with a dot). */
  public List<String> releaseVersions() throws IOException {
    List<String> versions = new ArrayList<>();
    if (!Files.isDirectory(releasesDir())) {
      return versions;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(releasesDir(), "[!.]*")) {
      for (Path release : dirs) {
        if (Files.isDirectory(release)) {
          versions.add(release.getFileName().toString());
        }
      }
    }
    return versions;
  }

  public Path marker(String version) {
    return releasesDir().resolve("." + version + ".sha256");
  }

  /**
   * The record (secrets masked) of what the release's templates rendered when it was switched to.
   */
  public Path configRecord(String version) {
    return releasesDir().resolve("." + version + ".config.json");
  }

  /**
   * The release's own copies of its rendered files that live in {@code shared/} (a template whose
   * dest is inside a shared path).
   */
  public Path sharedConfig(String version) {
    return releasesDir().resolve("." + version + ".shared-config");
  }

  /**
   * Where a config rollout of the release keeps the files it rendered until they are applied, and
   * the files they replaced until the rollout is over (for its revert).
   */
  public Path configChange(String version, String deploymentId) {
    return releasesDir().resolve("." + version + ".config-" + deploymentId);
  }

  /** The config rollouts' dirs of the release ({@link #configChange}). */
  public List<Path> configChanges(String version) throws IOException {
    List<Path> dirs = new ArrayList<>();
    if (!Files.isDirectory(releasesDir())) {
      return dirs;
    }
    try (DirectoryStream<Path> found =
        Files.newDirectoryStream(releasesDir(), "." + version + ".config-*")) {
      found.forEach(dirs::add);
    }
    return dirs;
  }

  public Path current() {
    return dir.resolve("current");
  }

  public Path previous() {
    return dir.resolve("previous");
  }

  /**
   * What {@code previous} pointed at before the last switch (a link, absent when nothing was), so a
   * revert of that switch puts {@code previous} back too: a failed release must never become the
   * target of the next rollback.
   */
  public Path previousBeforeSwitch() {
    return dir.resolve(".previous-before-switch");
  }

  public Path sharedDir() {
    return dir.resolve("shared");
  }

  public Path logsDir() {
    return dir.resolve("logs");
  }

  public Path serviceLog(String service) {
    return logsDir().resolve(service + ".log");
  }

  public Path hooksLog() {
    return logsDir().resolve("hooks.log");
  }

  public Path runDir() {
    return dir.resolve("run");
  }

  public Path runFile(String service) {
    return runDir().resolve(service + ".json");
  }
}
