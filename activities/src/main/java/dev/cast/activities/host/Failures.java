package dev.cast.activities.host;

import dev.cast.workflows.shared.DeployFailure;
import io.temporal.failure.ApplicationFailure;

/**
 * The former name of {@link ApplicationFailures}, kept only because {@link Names} still calls it;
 * delete it once {@link Names} calls {@link ApplicationFailures} directly.
 *
 * @deprecated use {@link ApplicationFailures}
 */
@Deprecated
final class Failures {
  private Failures() {}

  static ApplicationFailure permanent(DeployFailure type, String message) {
    return ApplicationFailures.permanent(type, message);
  }
}
