package dev.cast.workflows.rollout;

import io.temporal.workflow.Promise;
import java.util.List;

/** Waiting for the steps a workflow runs side by side on several hosts. */
public final class Promises {
  private Promises() {}

  /**
   * Waits for every promise, then rethrows the first failure. Unlike {@code Promise.allOf}, which
   * fails as soon as one step fails, this leaves no step running when the caller goes on to
   * compensate.
   */
  public static void awaitAll(List<? extends Promise<?>> promises) {
    RuntimeException first = null;
    for (Promise<?> promise : promises) {
      try {
        promise.get();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
