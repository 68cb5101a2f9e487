package dev.cast.activities.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/** Downloads a bundle to a local file. */
public interface BundleFetcher {

  /**
   * Writes the bundle at {@code bundlePath} to {@code target}, replacing it.
   *
   * @param bundlePath the bundle's path on the api, e.g. {@code
   *     /v1/apps/hello/releases/1.0.0/bundle}
   * @param bytesDone told the number of bytes written so far, now and then
   * @throws BundleNotFoundException when the api does not have the bundle
   */
  void fetch(String bundlePath, Path target, LongConsumer bytesDone) throws IOException;
}
