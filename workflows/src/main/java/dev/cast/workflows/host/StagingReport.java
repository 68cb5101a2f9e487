package dev.cast.workflows.host;

import java.util.Map;

/**
 * A release a host is fetching now, as its agent reports it to the api while {@code StageRelease}
 * runs: what a client shows as a progress bar, and what the api counts as staging bytes.
 *
 * @param bytes bytes of the bundle on disk so far
 * @param totalBytes the bundle's size, or -1 when not known yet
 * @param bytesPerSecond the recent download rate
 * @param peers connected BitTorrent peers; 0 over HTTP
 * @param source {@code torrent} or {@code http}
 * @param received bytes this attempt received by sender: {@code peer}, {@code seed}, {@code
 *     web-seed} or {@code http}
 * @param done whether the fetch has ended (the last report of it)
 */
public record StagingReport(
    String app,
    String version,
    long bytes,
    long totalBytes,
    long bytesPerSecond,
    int peers,
    String source,
    Map<String, Long> received,
    boolean done) {}
