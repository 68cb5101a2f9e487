package dev.cast.activities.host;

import dev.cast.workflows.shared.DeployFailure;
import io.temporal.failure.ApplicationFailure;

/** Permanent activity failures, typed by {@link DeployFailure}. */
public final class Failures {
  private Failures() {}

  public static ApplicationFailure permanent(DeployFailure type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type.name());
  }

  public static ApplicationFailure permanent(DeployFailure type, String message, Throwable cause) {
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type.name(), cause);
  }
}
