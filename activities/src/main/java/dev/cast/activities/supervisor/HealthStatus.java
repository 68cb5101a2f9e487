package dev.cast.activities.supervisor;

import java.time.Instant;

/**
 * A service's health status as its continuous checks see it: {@code unknown} before the first
 * check, {@code passing} after a pass, {@code warning} after fewer than {@code failures}
 * consecutive failures, {@code critical} from then on or while the process does not run. Not
 * thread-safe: the owning unit guards it.
 */
final class HealthStatus {
  static final String UNKNOWN = "unknown";
  static final String PASSING = "passing";
  static final String WARNING = "warning";
  static final String CRITICAL = "critical";
  private static final int MAX_OUTPUT = 300;

  private String status = UNKNOWN;
  private String output = "";
  private Instant since;
  private int consecutiveFailures;

  String status() {
    return status;
  }

  String output() {
    return output;
  }

  Instant since() {
    return since;
  }

  /** Records one check's outcome; returns whether the status changed. */
  boolean record(boolean passed, String checkOutput, int failuresForCritical) {
    consecutiveFailures = passed ? 0 : consecutiveFailures + 1;
    String next =
        passed ? PASSING : consecutiveFailures >= failuresForCritical ? CRITICAL : WARNING;
    return set(next, checkOutput);
  }

  /** The process started: nothing is known until its first check. */
  boolean reset(String newStatus, String newOutput) {
    consecutiveFailures = 0;
    return set(newStatus, newOutput);
  }

  private boolean set(String next, String newOutput) {
    output = shorten(newOutput);
    if (next.equals(status) && since != null) {
      return false;
    }
    status = next;
    since = Instant.now();
    return true;
  }

  private static String shorten(String text) {
    String oneLine = text == null ? "" : text.strip();
    return oneLine.length() <= MAX_OUTPUT ? oneLine : oneLine.substring(0, MAX_OUTPUT - 3) + "...";
  }
}
