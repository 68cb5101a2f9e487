package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.bundle.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Links a release's {@code shared} paths to {@code shared/}, which outlives releases. The first
 * release to declare a path seeds it with its own content.
 */
final class SharedLinks {
  private SharedLinks() {}

  static void link(AppLayout app, String version, Iterable<String> sharedPaths) throws IOException {
    Path releaseDir = app.releaseDir(version);
    for (String path : sharedPaths) {
      Path inRelease = releaseDir.resolve(path);
      if (Files.isSymbolicLink(inRelease)) {
        continue; // Linked by an earlier attempt.
      }
      Path shared = app.sharedDir().resolve(path);
      boolean present = Files.exists(inRelease, LinkOption.NOFOLLOW_LINKS);
      if (!Files.exists(shared, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(shared.getParent());
        if (present) {
          Files.move(inRelease, shared);
        } else {
          Files.createDirectory(shared);
        }
      } else if (present) {
        FileTrees.deleteRecursively(inRelease);
      }
      Files.createDirectories(inRelease.getParent());
      Files.createSymbolicLink(inRelease, inRelease.getParent().relativize(shared));
    }
  }
}
