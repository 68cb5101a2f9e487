package dev.cast.workflows.host;

/**
 * What a host needs to stage a release. The api builds both paths; the agent prefixes its
 * configured api URL and never builds or edits a path itself.
 *
 * @param bundlePath path of the bundle on the api, e.g. {@code
 *     /v1/apps/hello/releases/1.0.0/bundle?cap=…}
 * @param torrentPath path of its torrent on the api, or null to fetch over HTTP only (no swarm, or
 *     a run recorded before the api named torrents)
 * @param share this host's place among the hosts staging the release together, from 0
 * @param shares how many hosts stage it together; 0 or 1 when the host stages alone (and in runs
 *     recorded before hosts were told). Over BitTorrent a host fetches its share of the pieces
 *     first, so the hosts ask the api's seeder for different pieces and trade the rest.
 */
public record StageRequest(
    String app,
    String version,
    String sha256,
    long size,
    String bundlePath,
    String torrentPath,
    int share,
    int shares) {

  /** A request for a host staging alone over HTTP. */
  public StageRequest(String app, String version, String sha256, long size, String bundlePath) {
    this(app, version, sha256, size, bundlePath, null);
  }

  /** A request for a host staging alone. */
  public StageRequest(
      String app, String version, String sha256, long size, String bundlePath, String torrentPath) {
    this(app, version, sha256, size, bundlePath, torrentPath, 0, 1);
  }

  /** This request for host {@code share} of {@code shares} staging together. */
  public StageRequest asShare(int share, int shares) {
    return new StageRequest(app, version, sha256, size, bundlePath, torrentPath, share, shares);
  }
}
