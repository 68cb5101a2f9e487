package dev.cast.activities.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Unwraps the {@link ApplicationFailure} an activity call through the test environment threw. */
public final class Failures {
  private Failures() {}

  public static ApplicationFailure applicationFailure(ThrowingCallable call) {
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(call)
        .isInstanceOf(ActivityFailure.class)
        .satisfies(t -> caught[0] = t)
        .hasCauseInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) caught[0].getCause();
  }
}
