package dev.cast.workflows;

import dev.cast.workflows.deploy.DeployWorkflowImpl;
import dev.cast.workflows.rollback.RollbackWorkflowImpl;
import dev.cast.workflows.rollout.PartWorkflowImpl;
import dev.cast.workflows.service.ServiceControlWorkflowImpl;
import dev.cast.workflows.shared.WorkflowIds;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays recorded histories against the current workflow code: a change that would break running
 * workflows (non-determinism) fails here. Record new ones with {@link HistoryRecorder}.
 */
class ReplayTest {
  private static final Path DIR = Path.of("src/test/resources/histories");

  private static void replay(String name, Class<?> impl) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(Files.readString(DIR.resolve(name)), impl);
  }

  /**
   * Replays a run under its own workflow id: a rollout names its parts after its id, and the
   * replayer would otherwise make one up.
   */
  private static void replay(String name, Class<?> impl, String workflowId) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        WorkflowExecutionHistory.fromJson(Files.readString(DIR.resolve(name)), workflowId), impl);
  }

  @Test
  void deploySuccessReplays() throws Exception {
    replay("deploy/success.json", DeployWorkflowImpl.class);
  }

  @Test
  void deployRolledBackReplays() throws Exception {
    replay("deploy/rolled-back.json", DeployWorkflowImpl.class);
  }

  @Test
  void rollbackReplays() throws Exception {
    replay("rollback/success.json", RollbackWorkflowImpl.class);
  }

  @Test
  void deployWithMinHealthyTimeReplays() throws Exception {
    replay("deploy/min-healthy.json", DeployWorkflowImpl.class);
  }

  @Test
  void rollbackToEachHostsOwnReleaseReplays() throws Exception {
    replay("rollback/per-host.json", RollbackWorkflowImpl.class);
  }

  @Test
  void serviceRollingRestartReplays() throws Exception {
    replay("service/rolling-restart.json", ServiceControlWorkflowImpl.class);
  }

  @Test
  void serviceParallelStopReplays() throws Exception {
    replay("service/parallel-stop.json", ServiceControlWorkflowImpl.class);
  }

  @Test
  void serviceRestartThatFailsReplays() throws Exception {
    replay("service/failed.json", ServiceControlWorkflowImpl.class);
  }

  @Test
  void aServiceOperationInPartsReplays() throws Exception {
    replay(
        "service/in-parts.json",
        ServiceControlWorkflowImpl.class,
        WorkflowIds.control("hello", "op-1"));
    replay("service/part.json", ServiceControlWorkflowImpl.class);
  }

  @Test
  void deployInPartsWithAPauseAndAPromoteReplays() throws Exception {
    replay("deploy/in-parts.json", DeployWorkflowImpl.class, WorkflowIds.deploy("hello"));
  }

  @Test
  void deployInPartsRolledBackReplays() throws Exception {
    replay(
        "deploy/in-parts-rolled-back.json", DeployWorkflowImpl.class, WorkflowIds.deploy("hello"));
  }

  @Test
  void rollbackInPartsReplays() throws Exception {
    replay("rollback/in-parts.json", RollbackWorkflowImpl.class, WorkflowIds.rollback("hello"));
  }

  @Test
  void partsReplay() throws Exception {
    for (String part : List.of("stage", "switch-paused", "switch-failed", "revert", "prune")) {
      replay("part/" + part + ".json", PartWorkflowImpl.class);
    }
  }
}
