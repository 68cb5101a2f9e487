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
import java.util.ArrayList;
import java.util.List;
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
   * A deployment's live progress: its workflow's answer, with the answers of the parts it runs now
   * (child workflows that each act on a few hundred hosts, see {@code PartWorkflow}) merged in, all
   * within {@code timeout}. A part that is gone or does not answer in time is left out: its hosts
   * show what the workflow last heard of them; the answer's {@code parts} then names those that did
   * not answer (a part whose tasks fail never does), and is null otherwise.
   *
   * @throws NotFound when the workflow does not exist
   * @throws NoAnswer when it did not answer within {@code timeout}, or failed to
   */
  public static DeploymentProgress progress(
      WorkflowClient client, String workflowId, String runId, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    DeploymentProgress answer = query(client, workflowId, runId, timeout);
    if (answer.parts() == null || answer.parts().isEmpty()) {
      return answer;
    }
    List<DeploymentProgress> parts = new ArrayList<>();
    List<String> silent = new ArrayList<>();
    for (String part : answer.parts()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        silent.add(part);
        continue;
      }
      try {
        parts.add(query(client, part, "", Duration.ofNanos(left)));
      } catch (NotFound e) {
        // Ended since: what the rollout knows of its hosts stands.
      } catch (NoAnswer e) {
        silent.add(part);
      }
    }
    DeploymentProgress merged = answer.merge(parts);
    return silent.isEmpty()
        ? merged
        : new DeploymentProgress(
            merged.deploymentId(),
            merged.state(),
            merged.cause(),
            merged.hosts(),
            merged.phase(),
            merged.batch(),
            merged.batches(),
            silent);
  }

  private static DeploymentProgress query(
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
              .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
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
