package dev.cast.api.temporal;

import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.ProgressQuery;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks a workflow for its progress with one deadline for the whole call. The SDK's query retries a
 * call that timed out for up to a minute, and a workflow whose tasks fail never answers: a read of
 * its deployment must not wait for that.
 */
public final class ProgressQueries {
  private ProgressQueries() {}

  /** The workflow does not exist (any more). */
  public static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  /** The workflow did not answer in time, or could not. */
  public static final class NoAnswer extends RuntimeException {
    NoAnswer(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @throws NotFound when the workflow does not exist
   * @throws NoAnswer when it did not answer within {@code timeout}, or failed to
   */
  public static DeploymentProgress progress(
      WorkflowClient client, String workflowId, String runId, Duration timeout) {
    QueryWorkflowRequest request =
        QueryWorkflowRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(
                WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build())
            .setQuery(WorkflowQuery.newBuilder().setQueryType(ProgressQuery.NAME).build())
            .build();
    QueryWorkflowResponse response;
    try {
      response =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .queryWorkflow(request);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new NotFound(e.getStatus().getDescription());
      }
      String why =
          e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
              ? "no answer within " + timeout.toMillis() + " ms"
              : e.getStatus().getCode() + ": " + e.getStatus().getDescription();
      throw new NoAnswer(why, e);
    }
    if (response.hasQueryRejected()) {
      throw new NoAnswer("query rejected: " + response.getQueryRejected().getStatus(), null);
    }
    return client
        .getOptions()
        .getDataConverter()
        .fromPayloads(
            0,
            Optional.of(response.getQueryResult()),
            DeploymentProgress.class,
            DeploymentProgress.class);
  }
}
