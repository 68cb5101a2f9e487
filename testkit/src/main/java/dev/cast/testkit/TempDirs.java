package dev.cast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories that outlive a test method (a server's data dir, bundles shared by a test
 * class) and are deleted when the JVM exits. JUnit's {@code @TempDir} covers the rest.
 */
public final class TempDirs {
  private static final List<Path> CREATED = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "cast-temp-dirs"));
  }

  private TempDirs() {}

  /** A new directory in the system's temp dir, named {@code prefix} and a random number. */
  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      synchronized (CREATED) {
        CREATED.add(dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteAll() {
    List<Path> dirs;
    synchronized (CREATED) {
      dirs = List.copyOf(CREATED);
    }
    for (Path dir : dirs) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException | UncheckedIOException e) {
        // Best effort at exit: a file a dying process still writes may block one directory.
      }
    }
  }
}
