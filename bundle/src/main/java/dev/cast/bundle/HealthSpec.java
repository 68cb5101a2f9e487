package dev.cast.bundle;

import java.time.Duration;
import java.util.List;

/**
 * A health check: exactly one of {@code http}, {@code tcp} or {@code command} is set.
 *
 * @param http an HTTP GET that must answer 2xx
 * @param tcp a TCP connect that must succeed
 * @param command argv that must exit 0, run in the release dir
 * @param interval time between checks (default 1s)
 * @param timeout time one check may take (default 1s)
 * @param failures consecutive failed checks that make the service critical (default 3, at least 1);
 *     fewer make it a warning
 */
public record HealthSpec(
    HttpCheck http,
    TcpCheck tcp,
    List<String> command,
    Duration interval,
    Duration timeout,
    int failures) {

  /** The default of {@code failures}. */
  public static final int DEFAULT_FAILURES = 3;

  /** An HTTP check against one of the service's named ports. */
  public record HttpCheck(String port, String path) {}

  /** A TCP connect check against one of the service's named ports. */
  public record TcpCheck(String port) {}
}
