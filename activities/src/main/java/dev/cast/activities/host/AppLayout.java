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
