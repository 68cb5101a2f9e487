package dev.cast.workflows.rollout;

import io.temporal.workflow.SignalMethod;

/**
 * The signals that steer a rollout between its batches ({@link Batching}): a deploy and a config
 * rollout take the same ones, under the same names.
 */
public interface BatchGates {
  /** Lets the hosts after the canaries go on (manual promote). */
  @SignalMethod(name = "promote")
  void promote();

  /** Holds the rollout before its next batch. */
  @SignalMethod(name = "pause")
  void pause();

  @SignalMethod(name = "resume")
  void resume();
}
