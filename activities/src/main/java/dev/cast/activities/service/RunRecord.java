package dev.cast.activities.service;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code run/<service>.json} says about a running service.
 *
 * @param pid the service's pid, which is also its process group id
 * @param startedAt the process start instant (ISO-8601), as the kernel reports it
 * @param version the release the service runs
 * @param ports its named ports
 */
public record RunRecord(long pid, String startedAt, String version, Map<String, Integer> ports) {

  public Instant startInstant() {
    return Instant.parse(startedAt);
  }

  /** Whether the recorded process still runs (and is not another process that reused the pid). */
  public boolean alive() {
    return ProcessIdentity.isRunning(pid, startInstant());
  }
}
