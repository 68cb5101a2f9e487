package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.ProgressQuery;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A part of a deploy or rollback, run as a child workflow on the control queue: staging, switching
 * some batches, reverting or pruning a group of hosts. A workflow's history grows about 10–20
 * events per host it acts on, and Temporal refuses one past 51,200 events; split into parts of a
 * few hundred hosts, no history of a 10,000-host rollout grows past a few thousand. A part answers
 * the {@code progress} query for its own hosts (the api merges it into its rollout's answer), takes
 * the rollout's {@code hostUnreachable}, pause and resume as its rollout forwards them, and stops
 * when its rollout is cancelled. Workflow id {@code <rollout's id>/<deployment id>/<part>}.
 */
@WorkflowInterface
public interface PartWorkflow extends ProgressQuery, HostWatch {
  String TYPE = "RolloutPart";

  @WorkflowMethod(name = TYPE)
  PartResult run(PartRequest request);

  /** Holds the part before its next batch ({@code true}) or lets it go on. */
  @SignalMethod(name = "hold")
  void hold(boolean paused);

  /**
   * Stops the part: its steps are cancelled and it returns what it switched, which its rollout
   * reverts.
   */
  @SignalMethod(name = "stop")
  void stop();
}
