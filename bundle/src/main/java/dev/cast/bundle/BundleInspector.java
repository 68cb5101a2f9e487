package dev.cast.bundle;

import java.io.IOException;
import java.nio.file.Path;

/** Checks a bundle archive without unpacking it. */
public final class BundleInspector {

  private BundleInspector() {}

  /**
   * Reads the whole archive, writing nothing, and checks that it is a size-limited gzip'd tar whose
   * entries are all safe to unpack (relative, no {@code ..}, no devices or fifos, links that stay
   * inside the release, at most 4 × {@code maxBytes} of content) and whose root holds a valid
   * {@code cast.yml}.
   *
   * @param tarGz the {@code .tar.gz} to check
   * @param maxBytes the largest accepted archive size in bytes
   * @return the parsed manifest with the archive's SHA-256 and size
   * @throws BundleException when the archive or its manifest is not acceptable
   * @throws IOException when the file cannot be read
   */
  public static BundleInfo inspect(Path tarGz, long maxBytes) throws BundleException, IOException {
    return ArchiveReader.read(tarGz, maxBytes, (entry, content) -> {});
  }
}
