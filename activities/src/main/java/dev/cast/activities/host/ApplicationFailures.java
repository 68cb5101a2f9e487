package dev.cast.activities.host;

import dev.cast.workflows.shared.DeployFailure;
import io.temporal.failure.ApplicationFailure;

/**
 * Builds the non-retryable {@link ApplicationFailure}s that host activities throw for permanent
 * problems, typed by {@link DeployFailure}. Reading a failure that came back from an activity is
 * the workflows' business, not this class's.
 */
public final class ApplicationFailures {
  private ApplicationFailures() {}

  public static ApplicationFailure permanent(DeployFailure type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type.name());
  }

  public static ApplicationFailure permanent(DeployFailure type, String message, Throwable cause) {
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type.name(), cause);
  }
}
