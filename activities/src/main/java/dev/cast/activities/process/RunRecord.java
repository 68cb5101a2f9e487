package dev.cast.activities.process;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code run/<service>.json} says about a supervised service.
 *
 * @param pid the process group leader (the service's wrapper), which is also the group id
 * @param startedAt the leader's start instant (ISO-8601), as the kernel reports it; with the pid it
 *     names the process, so a reused pid is never mistaken for the service
 * @param version the release the service runs
 * @param ports its named ports
 * @param restarts restarts by the supervisor since the service was last started on purpose
 * @param exit {@code null} while the service is meant to run; once it ended for good (its restart
 *     policy said so, or it crash-looped), how it ended
 * @param failed whether it ended in a crash loop
 */
public record RunRecord(
    long pid,
    String startedAt,
    String version,
    Map<String, Integer> ports,
    int restarts,
    String exit,
    boolean failed) {

  public Instant startInstant() {
    return Instant.parse(startedAt);
  }

  /** Whether the recorded process still runs (and is not another process that reused the pid). */
  public boolean alive() {
    return ProcessIdentity.isRunning(pid, startInstant());
  }

  /** The record of a process that ended for good. */
  public RunRecord ended(String how, boolean crashLoop) {
    return new RunRecord(pid, startedAt, version, ports, restarts, how, crashLoop);
  }
}
