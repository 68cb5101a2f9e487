package dev.cast.bundle;

import java.io.IOException;
import java.nio.file.Path;

/** Checks a bundle archive without unpacking it. */
public final class BundleInspector {

  /**
   * The most entries (files, directories, links) a bundle may have unless configured otherwise.
   * Empty files cost no archive bytes but an inode and a block each once unpacked.
   */
  public static final int DEFAULT_MAX_ENTRIES = 50_000;

  private BundleInspector() {}

  /**
   * Reads the whole archive, writing nothing, and checks that it is a size-limited gzip'd tar whose
   * entries are all safe to unpack (relative, no {@code ..}, no devices or fifos, links that stay
   * inside the release, at most 4 × {@code maxBytes} of content, at most {@link
   * #DEFAULT_MAX_ENTRIES} entries, names of at most 4 KiB without control characters, PAX headers
   * of at most 64 KiB) and whose root holds a valid {@code cast.yml}.
   *
   * @param tarGz the {@code .tar.gz} to check
   * @param maxBytes the largest accepted archive size in bytes
   * @return the parsed manifest with the archive's SHA-256 and size
   * @throws BundleException when the archive or its manifest is not acceptable
   * @throws IOException when the file cannot be read
   */
  public static BundleInfo inspect(Path tarGz, long maxBytes) throws BundleException, IOException {
    return inspect(tarGz, maxBytes, DEFAULT_MAX_ENTRIES);
  }

  /**
   * {@link #inspect(Path, long)} with a limit on the number of entries.
   *
   * @param maxEntries the most entries (files, directories and links) accepted
   */
  public static BundleInfo inspect(Path tarGz, long maxBytes, int maxEntries)
      throws BundleException, IOException {
    return ArchiveReader.read(tarGz, maxBytes, maxEntries, (entry, content) -> {});
  }
}
