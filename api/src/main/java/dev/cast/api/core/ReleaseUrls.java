package dev.cast.api.core;

import dev.cast.api.auth.BundleCaps;

/**
 * The one place a release's URLs are built: its resource, its bundle and its torrent, each signed
 * with the release's capability where it goes to someone without a token (agents staging it,
 * libtorrent's web seed). Agents get these paths in the staging request and never build or edit one
 * themselves.
 */
public final class ReleaseUrls {
  private volatile BundleCaps caps;

  /** The release's resource, e.g. {@code /v1/apps/hello/releases/1.0.0}. */
  public static String release(String app, String version) {
    return "/v1/apps/" + app + "/releases/" + version;
  }

  /** The bundle's path, without a capability. */
  public static String bundle(String app, String version) {
    return release(app, version) + "/bundle";
  }

  /** The torrent's path, without a capability. */
  public static String torrent(String app, String version) {
    return release(app, version) + "/torrent";
  }

  /** The bundle's path with the release's capability, for a reader without a token. */
  public String signedBundle(String app, String version) {
    return bundle(app, version) + capability(app, version);
  }

  /** The torrent's path with the release's capability, for a reader without a token. */
  public String signedTorrent(String app, String version) {
    return torrent(app, version) + capability(app, version);
  }

  /** Signs the paths handed out from now on (none are signed before: auth is not set up yet). */
  public void signWith(BundleCaps caps) {
    this.caps = caps;
  }

  private String capability(String app, String version) {
    BundleCaps signer = caps;
    return signer == null ? "" : signer.query(app, version);
  }
}
