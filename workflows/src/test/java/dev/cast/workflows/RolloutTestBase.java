package dev.cast.workflows;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.catalog.HostActivation;
import dev.cast.workflows.deploy.DeployWorkflowImpl;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.Endpoint;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.host.SwitchRequest;
import dev.cast.workflows.rollback.RollbackWorkflowImpl;
import dev.cast.workflows.rollout.PartWorkflowImpl;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.ProgressQuery;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A time-skipping Temporal test server with mocked host and catalog activities. */
abstract class RolloutTestBase {
  static final ReleaseRef V2 =
      new ReleaseRef("hello", "2.0.0", "abc123", 100, "/v1/apps/hello/releases/2.0.0/bundle");

  TestWorkflowEnvironment env;
  WorkflowClient client;
  CatalogActivities catalog;
  final Map<String, ReleaseActivities> hosts = new LinkedHashMap<>();

  @BeforeEach
  void startEnvironment() {
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    catalog = mock(CatalogActivities.class, withSettings().withoutAnnotations());
    // A batch's record is each host's record, on this same mock: tests verify those.
    doAnswer(
            call -> {
              List<HostActivation> batch = call.getArgument(0);
              batch.forEach(catalog::recordActivation);
              return null;
            })
        .when(catalog)
        .recordActivations(any());
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(
        DeployWorkflowImpl.class, RollbackWorkflowImpl.class, PartWorkflowImpl.class);
    control.registerActivitiesImplementations(catalog);
  }

  @AfterEach
  void stopEnvironment() {
    env.close();
  }

  /** A host whose activities answer like a healthy host running {@code current}. */
  ReleaseActivities host(String name, String current) {
    ReleaseActivities host = mock(ReleaseActivities.class, withSettings().withoutAnnotations());
    when(host.stageRelease(any())).thenReturn(new StagedRelease("2.0.0", current, true));
    when(host.activateRelease(any()))
        .thenReturn(
            new Activation(
                name,
                "10.0.0." + (hosts.size() + 1),
                current,
                List.of(new Endpoint("web", "http", 20000)),
                null));
    // The one-step switch does what the three steps do, on this same mock: tests stub and verify
    // the steps.
    when(host.switchRelease(any()))
        .thenAnswer(
            call -> {
              SwitchRequest request = call.getArgument(0);
              Activation activation = host.activateRelease(request.activation());
              host.awaitHealthy(request.health());
              if (request.runPostActivate()) {
                host.runHook(request.postActivate());
              }
              return activation;
            });
    env.newWorker(TaskQueues.host(name)).registerActivitiesImplementations(host);
    hosts.put(name, host);
    return host;
  }

  <T> T stub(Class<T> type, String workflowId) {
    return client.newWorkflowStub(
        type,
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.CONTROL)
            .build());
  }

  /**
   * A rollout's live view as the api shows it: the rollout's answer with its running parts' answers
   * merged in (see {@link DeploymentProgress#merge}).
   */
  DeploymentProgress live(ProgressQuery rollout) {
    DeploymentProgress answer = rollout.progress();
    List<DeploymentProgress> parts = new ArrayList<>();
    for (String id : answer.parts() == null ? List.<String>of() : answer.parts()) {
      parts.add(
          client.newUntypedWorkflowStub(id).query(ProgressQuery.NAME, DeploymentProgress.class));
    }
    return answer.merge(parts);
  }

  static ApplicationFailure failure(String type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }
}
