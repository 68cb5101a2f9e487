package dev.cast.activities.host;

import java.nio.file.Path;

/**
 * What a host agent needs to know about itself.
 *
 * @param hostName the host's name, also the suffix of its task queue
 * @param address how other machines reach this host's services, e.g. {@code 127.0.0.1}
 * @param dataDir the root of everything the agent keeps on disk
 * @param portFrom the lowest port the agent hands out
 * @param portTo the highest port the agent hands out
 * @param maxBundleBytes the largest bundle (and unpacked release) the agent accepts
 * @param maxBundleEntries the most entries (files, directories, links) a bundle may have
 * @param directWrites whether a release's large files are written past the page cache
 * @param diskReserveBytes free space staging leaves on the data dir's file systems, so the agent's
 *     database, its logs and the services' logs can still be written when a release does not fit
 */
public record HostSettings(
    String hostName,
    String address,
    Path dataDir,
    int portFrom,
    int portTo,
    long maxBundleBytes,
    int maxBundleEntries,
    boolean directWrites,
    long diskReserveBytes) {

  /** The default {@code diskReserveBytes}: 16 MiB. */
  public static final long DEFAULT_DISK_RESERVE = 16L * 1024 * 1024;

  public HostSettings {
    if (diskReserveBytes < 0) {
      throw new IllegalArgumentException("negative disk reserve " + diskReserveBytes);
    }
    if (portFrom < 1 || portTo > 65535 || portFrom > portTo) {
      throw new IllegalArgumentException("bad port range " + portFrom + "-" + portTo);
    }
    if (maxBundleEntries < 1) {
      throw new IllegalArgumentException("maxBundleEntries must be positive: " + maxBundleEntries);
    }
  }

  public HostLayout layout() {
    return new HostLayout(dataDir);
  }
}
