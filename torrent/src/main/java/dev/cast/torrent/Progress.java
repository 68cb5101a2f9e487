package dev.cast.torrent;

import java.util.Map;

/**
 * A download's state at one moment, for heartbeats and logs.
 *
 * @param bytesDone verified bytes on disk, including what an earlier run left there
 * @param totalBytes the file's size
 * @param downloadedThisRun payload bytes received since this process added the torrent (after a
 *     restart, the rest came from the partial file)
 * @param peers connected peers, web seeds included
 * @param seeds connected peers that have the whole file
 * @param downloadRate payload bytes per second, recent
 * @param uploadRate payload bytes per second sent to other peers, recent
 * @param state libtorrent's state: {@code checking_files}, {@code downloading}, {@code finished},
 *     {@code seeding}, ...
 * @param hashFailures pieces received this run that failed their hash check and were thrown away
 *     (to be fetched again): a peer or web seed sent corrupt data
 * @param receivedBytes {@code bytesDone} plus the blocks on disk of pieces not verified yet; it
 *     drops again when such a piece fails its hash check, so only a new high is progress
 * @param receivedFrom payload bytes received this run by where they came from: a peer's address
 *     (without port), or {@link #WEB_SEED} for the torrent's web seeds
 */
public record Progress(
    long bytesDone,
    long totalBytes,
    long downloadedThisRun,
    int peers,
    int seeds,
    long downloadRate,
    long uploadRate,
    String state,
    int hashFailures,
    long receivedBytes,
    Map<String, Long> receivedFrom) {

  /** The {@link #receivedFrom} key of what the torrent's web seeds (BEP 19) sent. */
  public static final String WEB_SEED = "web-seed";

  /** Whether every byte is there and verified. */
  public boolean isComplete() {
    return totalBytes > 0 && bytesDone == totalBytes;
  }

  /** Done as a fraction from 0 to 1. */
  public double fraction() {
    return totalBytes == 0 ? 0 : (double) bytesDone / totalBytes;
  }
}
