package dev.cast.activities.bundle;

import dev.cast.torrent.Share;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Downloads a bundle to a local file. */
public interface BundleFetcher {

  /**
   * Writes the bundle at {@code bundlePath} to {@code target}, replacing it. A fetcher that got the
   * bundle over BitTorrent also writes the torrent to {@link #torrentFile(Path)}, so the cache can
   * seed the bundle once it checked it.
   *
   * @param bundlePath the bundle's path on the api, e.g. {@code
   *     /v1/apps/hello/releases/1.0.0/bundle}
   * @param progress told how far the fetch got, now and then, on the calling thread
   * @throws BundleNotFoundException when the api does not have the bundle
   */
  void fetch(String bundlePath, Path target, Consumer<FetchProgress> progress) throws IOException;

  /**
   * {@link #fetch(String, Path, Consumer)} from whichever of the source's paths the fetcher uses,
   * for a host that stages together with others as share {@code share} of them: a fetcher that can
   * take parts from several sources fetches its share first. Others ignore it and the torrent.
   */
  default void fetch(
      BundleSource source, Path target, Share share, Consumer<FetchProgress> progress)
      throws IOException {
    fetch(source.bundlePath(), target, progress);
  }

  /** Where a fetcher leaves the torrent of the bundle it wrote to {@code target}. */
  static Path torrentFile(Path target) {
    return target.resolveSibling(target.getFileName() + ".torrent");
  }
}
