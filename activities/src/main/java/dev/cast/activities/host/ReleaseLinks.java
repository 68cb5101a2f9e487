package dev.cast.activities.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The {@code current} and {@code previous} links of an app, always relative and swapped atomically.
 */
public final class ReleaseLinks {
  private ReleaseLinks() {}

  /** The version a link points at, or {@code null} when there is no link. */
  public static String version(Path link) throws IOException {
    if (!Files.isSymbolicLink(link)) {
      return null;
    }
    return Files.readSymbolicLink(link).getFileName().toString();
  }

  /**
   * Points {@code link} at {@code releases/<version>}. A temporary link is renamed over the old
   * one, so there is no moment without a link.
   */
  public static void point(Path link, String version) throws IOException {
    Path tmp = link.resolveSibling("." + link.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files.createSymbolicLink(tmp, Path.of("releases", version));
    try {
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void remove(Path link) throws IOException {
    Files.deleteIfExists(link);
  }
}
