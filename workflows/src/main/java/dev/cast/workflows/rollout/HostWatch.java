package dev.cast.workflows.rollout;

import io.temporal.workflow.SignalMethod;

/**
 * What a rollout learns from outside about its hosts. A host whose agent died or was cut off while
 * it ran a step never answers, and Temporal retries the step on the host's queue until the agent
 * comes back; the api, which hears every agent's heartbeat, says when one has gone silent.
 */
public interface HostWatch {
  String HOST_UNREACHABLE = "hostUnreachable";

  /**
   * The api has heard nothing from the host's agent for longer than it allows: its step is
   * cancelled and it is unreachable, as if no agent had picked the step up.
   */
  @SignalMethod(name = HOST_UNREACHABLE)
  void hostUnreachable(String host);
}
