package dev.cast.activities.config;

import dev.cast.activities.host.AppLayout;
import dev.cast.bundle.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a release's rendered files live. A {@code dest} inside one of the release's {@code shared}
 * paths goes to the app's {@code shared/} (which every release sees), and the release keeps its own
 * copy beside it ({@code releases/.<version>.shared-config/}) so that switching back to the release
 * puts its version of the file back there; any other {@code dest} is in the release dir.
 */
public final class ConfigPlaces {
  private ConfigPlaces() {}

  /** Whether {@code dest} is inside one of the shared paths. */
  public static boolean shared(List<String> sharedPaths, String dest) {
    return sharedPaths.stream().anyMatch(p -> dest.startsWith(p + "/"));
  }

  /** The file the app reads. */
  static Path live(AppLayout app, String version, List<String> sharedPaths, String dest) {
    return (shared(sharedPaths, dest) ? app.sharedDir() : app.releaseDir(version))
        .resolve(dest)
        .normalize();
  }

  /** Writes a rendered file where the app reads it (and, for a shared one, the release's copy). */
  static void write(
      AppLayout app, String version, List<String> sharedPaths, String dest, String text, int mode)
      throws IOException {
    if (shared(sharedPaths, dest)) {
      Path copies = Files.createDirectories(app.sharedConfig(version));
      ConfigFiles.write(copies, dest, text, mode);
      ConfigFiles.write(Files.createDirectories(app.sharedDir()), dest, text, mode);
    } else {
      ConfigFiles.write(app.releaseDir(version), dest, text, mode);
    }
  }

  /** Removes a rendered file (one that was not there before a config rollout). */
  static void delete(AppLayout app, String version, List<String> sharedPaths, String dest)
      throws IOException {
    if (shared(sharedPaths, dest)) {
      deleteUnder(app.sharedConfig(version), dest);
      deleteUnder(app.sharedDir(), dest);
    } else {
      deleteUnder(app.releaseDir(version), dest);
    }
  }

  private static void deleteUnder(Path root, String dest) throws IOException {
    Path target = root.resolve(dest).normalize();
    if (target.startsWith(root) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(target);
    }
  }

  /**
   * Puts the release's own copies of its shared config files back into {@code shared/}: what a
   * switch to a release rendered before does, as the files in its release dir are still its own.
   */
  public static void restoreShared(AppLayout app, String version) throws IOException {
    Path copies = app.sharedConfig(version);
    if (!Files.isDirectory(copies)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> all = Files.walk(copies)) {
      files = all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path file : files) {
      String dest = copies.relativize(file).toString();
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      ConfigFiles.write(
          Files.createDirectories(app.sharedDir()),
          dest,
          Files.readString(file),
          ConfigFiles.mode(perms));
    }
  }

  /** Forgets a pruned release's copies. */
  public static void forget(AppLayout app, String version) throws IOException {
    FileTrees.deleteRecursively(app.sharedConfig(version));
  }
}
