package dev.cast.activities.bundle;

import java.util.Map;

/**
 * How far a bundle fetch got; the heartbeat details of {@code StageRelease}.
 *
 * @param bytes bytes of the bundle on disk so far (over BitTorrent: verified pieces, including what
 *     an earlier attempt left in the partial file)
 * @param totalBytes the bundle's size, or -1 when not known yet
 * @param peers connected BitTorrent peers, web seeds included; 0 over HTTP
 * @param bytesPerSecond the recent download rate
 * @param source {@code torrent} or {@code http}
 * @param hashFailures BitTorrent pieces received that failed their hash check and were fetched
 *     again (a peer or the web seed sent corrupt data); 0 over HTTP
 * @param received bytes received by this attempt by where they came from: {@link #PEER} (another
 *     host), {@link #SEED} (the api's BitTorrent seeder), {@link #WEB_SEED} (the api's bundle URL
 *     as a BitTorrent web seed), {@link #HTTP} (a plain HTTP download), or {@link #UNATTRIBUTED}:
 *     bytes from BitTorrent senders that were gone before they could be asked what they sent
 *     (libtorrent forgets a peer's count when it disconnects, and two peers that both hold the
 *     whole file disconnect at once: on a fast link a whole fetch can end that way)
 */
public record FetchProgress(
    long bytes,
    long totalBytes,
    int peers,
    long bytesPerSecond,
    String source,
    int hashFailures,
    Map<String, Long> received) {
  public static final String PEER = "peer";
  public static final String SEED = "seed";
  public static final String WEB_SEED = "web-seed";
  public static final String HTTP = "http";
  public static final String UNATTRIBUTED = "unattributed";

  /** Progress of a plain HTTP download that has received {@code bytes} so far. */
  public static FetchProgress http(long bytes, long totalBytes, long bytesPerSecond) {
    return new FetchProgress(
        bytes, totalBytes, 0, bytesPerSecond, HTTP, 0, bytes > 0 ? Map.of(HTTP, bytes) : Map.of());
  }
}
