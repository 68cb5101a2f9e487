package dev.cast.worker;

import java.time.Duration;

/**
 * Turns the durations of the agent's {@code config.yml}, which Dropwizard reads as its own {@code
 * io.dropwizard.util.Duration}, into the {@link Duration}s the host code takes, to the millisecond.
 */
final class ConfigDurations {
  private ConfigDurations() {}

  // The parameter keeps its qualified name: both types are called Duration.
  static Duration javaTime(io.dropwizard.util.Duration configured) {
    return Duration.ofMillis(configured.toMilliseconds());
  }
}
