package dev.cast.activities.supervisor;

import java.time.Duration;

/**
 * How the supervisor restarts crashed services and keeps their logs.
 *
 * @param backoffInitial the delay before the first restart after a crash
 * @param backoffMax the delay doubles after each restart, up to this
 * @param backoffReset a process that stayed up this long resets the delay to {@code backoffInitial}
 * @param crashLoopRestarts this many restarts within {@code crashLoopWindow} mark the service
 *     {@code failed}: no more restarts until someone starts it
 * @param crashLoopWindow see {@code crashLoopRestarts}
 * @param logMaxBytes a service log is rotated before it grows past this size
 * @param logKeep rotated logs kept: {@code <service>.log.1} (newest) to {@code .<logKeep>}
 */
public record SupervisorSettings(
    Duration backoffInitial,
    Duration backoffMax,
    Duration backoffReset,
    int crashLoopRestarts,
    Duration crashLoopWindow,
    long logMaxBytes,
    int logKeep) {

  public SupervisorSettings {
    if (backoffInitial.isNegative()
        || backoffMax.compareTo(backoffInitial) < 0
        || backoffReset.isNegative()
        || crashLoopWindow.isNegative()) {
      throw new IllegalArgumentException(
          "backoffs and windows must not be negative, and backoffMax not below backoffInitial");
    }
    if (crashLoopRestarts < 1 || logMaxBytes < 1 || logKeep < 0) {
      throw new IllegalArgumentException(
          "crashLoopRestarts and logMaxBytes must be positive, logKeep not negative");
    }
  }

  /** 1s doubling up to 60s, reset after 60s up; 5 restarts in 60s is a crash loop; 10 MiB x 5. */
  public static SupervisorSettings defaults() {
    return new SupervisorSettings(
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        5,
        Duration.ofSeconds(60),
        10L * 1024 * 1024,
        5);
  }
}
