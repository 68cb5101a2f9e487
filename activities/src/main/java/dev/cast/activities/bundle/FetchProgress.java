package dev.cast.activities.bundle;

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
 */
public record FetchProgress(
    long bytes, long totalBytes, int peers, long bytesPerSecond, String source, int hashFailures) {

  public static FetchProgress http(long bytes, long totalBytes, long bytesPerSecond) {
    return new FetchProgress(bytes, totalBytes, 0, bytesPerSecond, "http", 0);
  }
}
