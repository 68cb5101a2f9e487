package dev.cast.activities.bundle;

/**
 * Where a release's bundle can be fetched from the api, as the api wrote it into the staging
 * request: the agent prefixes its configured api URL and never builds or edits these paths itself.
 *
 * @param bundlePath the bundle's path, e.g. {@code /v1/apps/hello/releases/1.0.0/bundle?cap=…}
 * @param torrentPath the path of its torrent, or null when it is to be fetched over HTTP only (the
 *     api has no swarm, or the request was recorded before the api named torrents)
 */
public record BundleSource(String bundlePath, String torrentPath) {

  /** A bundle fetched over HTTP only. */
  public static BundleSource http(String bundlePath) {
    return new BundleSource(bundlePath, null);
  }
}
