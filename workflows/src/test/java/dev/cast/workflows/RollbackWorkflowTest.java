package dev.cast.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.rollback.RollbackRequest;
import dev.cast.workflows.rollback.RollbackWorkflow;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.WorkflowIds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollbackWorkflowTest extends RolloutTestBase {

  private DeploymentProgress rollback(List<String> targets) {
    env.start();
    RollbackWorkflow workflow = stub(RollbackWorkflow.class, WorkflowIds.rollback("hello"));
    return workflow.run(new RollbackRequest("r-1", V2, targets, 10_000, 0, 0, null, 0, false));
  }

  @Test
  void switchesEveryHostWithoutPostActivateOrPrune() {
    ReleaseActivities a = host("a", "3.0.0");
    ReleaseActivities b = host("b", "3.0.0");
    when(a.stageRelease(any())).thenReturn(new StagedRelease("2.0.0", "3.0.0", false));

    DeploymentProgress result = rollback(List.of("a", "b"));

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    for (ReleaseActivities host : List.of(a, b)) {
      verify(host).activateRelease(new ActivateRequest("r-1", "hello", "2.0.0", false));
      verify(host, never()).runHook(any());
      verify(host, never()).pruneReleases(any());
    }
  }

  @Test
  void putsHostsBackWhenTheOldReleaseWillNotComeUp() {
    ReleaseActivities a = host("a", "3.0.0");
    ReleaseActivities b = host("b", "3.0.0");
    when(b.awaitHealthy(new HealthRequest("hello", "2.0.0", 10_000)))
        .thenThrow(failure("SERVICE_EXITED", "web exited with 1"));

    DeploymentProgress result = rollback(List.of("a", "b"));

    assertThat(result.state()).isEqualTo(DeploymentState.ROLLED_BACK);
    verify(a).revertRelease(new RevertRequest("r-1", "hello", "2.0.0", "3.0.0"));
    verify(b).revertRelease(new RevertRequest("r-1", "hello", "2.0.0", "3.0.0"));
  }

  @Test
  void takesEachHostToItsOwnRelease() {
    ReleaseActivities a = host("a", "3.0.0");
    ReleaseActivities b = host("b", "3.1.0");
    ReleaseRef v21 =
        new ReleaseRef("hello", "2.1.0", "def456", 100, "/v1/apps/hello/releases/2.1.0/bundle");
    when(b.stageRelease(any())).thenReturn(new StagedRelease("2.1.0", "3.1.0", false));
    env.start();
    RollbackWorkflow workflow = stub(RollbackWorkflow.class, WorkflowIds.rollback("hello"));

    DeploymentProgress result =
        workflow.run(
            new RollbackRequest(
                "r-1", V2, List.of("a", "b"), 10_000, 0, 0, Map.of("b", v21), 0, false));

    assertThat(result.state()).isEqualTo(DeploymentState.SUCCEEDED);
    verify(a).stageRelease(V2.stageRequest());
    verify(b).stageRelease(v21.stageRequest());
    verify(a).activateRelease(new ActivateRequest("r-1", "hello", "2.0.0", false));
    verify(b).activateRelease(new ActivateRequest("r-1", "hello", "2.1.0", false));
    assertThat(result.hosts())
        .extracting(h -> h.message())
        .containsExactly("2.0.0 is serving", "2.1.0 is serving");
  }
}
