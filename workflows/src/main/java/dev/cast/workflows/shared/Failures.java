package dev.cast.workflows.shared;

import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;

/** Turns Temporal failures into one line a person can read. */
public final class Failures {
  private Failures() {}

  public static String describe(Throwable failure) {
    String where = "";
    if (failure instanceof ActivityFailure activity) {
      where = activity.getActivityType() + " failed: ";
    }
    Throwable cause = failure;
    while (cause.getCause() != null
        && !(cause instanceof ApplicationFailure)
        && !(cause instanceof TimeoutFailure)) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure app) {
      return where + app.getType() + ": " + app.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure timeout) {
      return where + "timed out (" + timeout.getTimeoutType() + "); is the host's agent running?";
    }
    return where + cause.getMessage();
  }

  /**
   * Whether a host's step failed because no agent picked it up in time (its schedule-to-start
   * timeout): the host is unreachable.
   */
  public static boolean unreachable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutFailure timeout) {
        return timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;
      }
    }
    return false;
  }

  /** The {@link DeployFailure} type name of a failure, or {@code null}. */
  public static String type(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof ApplicationFailure)) {
      cause = cause.getCause();
    }
    return cause == null ? null : ((ApplicationFailure) cause).getType();
  }
}
