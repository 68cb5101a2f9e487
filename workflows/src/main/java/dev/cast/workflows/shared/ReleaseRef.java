package dev.cast.workflows.shared;

import dev.cast.workflows.host.StageRequest;

/**
 * A pushed release as the workflows see it.
 *
 * @param bundlePath where hosts fetch the bundle, relative to the api's base URL
 * @param torrentPath where hosts fetch its torrent, or null to fetch over HTTP only
 */
public record ReleaseRef(
    String app, String version, String sha256, long size, String bundlePath, String torrentPath) {

  /** A release fetched over HTTP only. */
  public ReleaseRef(String app, String version, String sha256, long size, String bundlePath) {
    this(app, version, sha256, size, bundlePath, null);
  }

  public StageRequest stageRequest() {
    return new StageRequest(app, version, sha256, size, bundlePath, torrentPath);
  }
}
