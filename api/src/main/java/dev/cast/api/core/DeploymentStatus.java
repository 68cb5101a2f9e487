package dev.cast.api.core;

import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.DeploymentView;
import dev.cast.api.temporal.ProgressQueries;
import dev.cast.api.temporal.TemporalEngine;
import dev.cast.workflows.host.StagingReport;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.HostState;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How deployments stand: live from a workflow query while they run (kept in the catalog, so that a
 * vanished workflow still leaves each host's progress), from the catalog once they are done. A
 * workflow that no longer exists turns its deployment INTERRUPTED; one that cannot answer leaves
 * the stored picture with the reason.
 */
public final class DeploymentStatus {
  private static final Logger log = LoggerFactory.getLogger(DeploymentStatus.class);

  /** The cause of every INTERRUPTED deployment, before it says how it was ended. */
  static final String LOST = "its workflow no longer exists (the Temporal server restarted?)";

  private final Supplier<WorkflowClient> client;
  private final DeploymentDao deployments;
  private final BinaryOperator<String> workflowUrl;
  private final StagingBoard staging;

  public DeploymentStatus(Supplier<WorkflowClient> client, DeploymentDao deployments) {
    this(client, deployments, (workflowId, runId) -> null, new StagingBoard((source, bytes) -> {}));
  }

  /**
   * @param workflowUrl the Temporal UI page of a workflow id and run id, or null without a UI
   * @param staging what hosts report of the releases they fetch, shown while they stage
   */
  public DeploymentStatus(
      Supplier<WorkflowClient> client,
      DeploymentDao deployments,
      BinaryOperator<String> workflowUrl,
      StagingBoard staging) {
    this.client = client;
    this.deployments = deployments;
    this.workflowUrl = workflowUrl;
    this.staging = staging;
  }

  /** A deployment as it stands now (404 DEPLOYMENT_NOT_FOUND). */
  public DeploymentView view(String id) {
    return view(find(id));
  }

  /** A deployment's row (404 DEPLOYMENT_NOT_FOUND). */
  public DeploymentRow find(String id) {
    return deployments
        .find(id)
        .orElseThrow(() -> ApiException.notFound("DEPLOYMENT_NOT_FOUND", "no deployment " + id));
  }

  DeploymentView view(DeploymentRow row) {
    Picture picture = picture(row);
    // The workflow may have recorded more (its hosts' config) between the row's read and its
    // answer: a view of a deployment that ended shows the row as it ended.
    DeploymentRow now =
        picture.progress().state().terminal() ? deployments.find(row.id()).orElse(row) : row;
    return toView(now, picture.progress(), picture.unavailable());
  }

  /** An app's deployments as the catalog has them, newest first. */
  public List<DeploymentView> list(String app) {
    return deployments.listByApp(app).stream().map(r -> toView(r, stored(r), null)).toList();
  }

  /** Deployments of every app (of {@code app}, in {@code state}), newest first, as stored. */
  public List<DeploymentView> list(String app, String state, int limit) {
    return deployments.list(app, state, limit).stream()
        .map(r -> toView(r, stored(r), null))
        .toList();
  }

  /**
   * How a deployment stands, as {@link #view} shows it: the progress, and when the workflow could
   * not answer, why the live view is unavailable and, when it cannot run its tasks, why.
   */
  record Picture(DeploymentProgress progress, String unavailable, String stuck) {}

  /** Where a deployment stands now, live while it runs. */
  DeploymentProgress refresh(DeploymentRow row) {
    return picture(row).progress();
  }

  /**
   * The current picture of a deployment: the stored one when it is over, otherwise the workflow's
   * answer (within {@link TemporalEngine#QUERY_TIMEOUT}); a workflow that no longer exists turns
   * the deployment INTERRUPTED, one that does not answer leaves the stored picture with the reason.
   */
  Picture picture(DeploymentRow row) {
    DeploymentProgress stored = stored(row);
    if (stored.state().terminal() || row.runId() == null) {
      return new Picture(stored, null, null);
    }
    try {
      DeploymentProgress live =
          ProgressQueries.progress(
              client.get(), row.workflowId(), row.runId(), TemporalEngine.QUERY_TIMEOUT);
      // A part of the rollout (a child workflow) that did not answer may be one whose tasks fail:
      // the rollout then waits for it for ever, as for a workflow of its own that is stuck.
      for (String part : live.parts() == null ? List.<String>of() : live.parts()) {
        String stuck = failingTask(part, null);
        if (stuck != null) {
          String why = "its workflow cannot run its tasks: part " + part + ": " + stuck;
          log.warn("deployment {}: live view unavailable, {}", row.id(), why);
          return new Picture(
              stored, "unavailable: " + why + "; showing the catalog's record", stuck);
        }
      }
      // Written only when a host moved: a read that finds nothing new writes nothing.
      if (!live.state().terminal() && !live.hosts().equals(row.hosts())) {
        deployments.updateLiveHosts(row.id(), live.hosts());
      }
      return new Picture(live, null, null);
    } catch (ProgressQueries.NotFound e) {
      String cause = LOST + "; " + wayOut(row);
      deployments.updateState(
          row.id(),
          DeploymentState.INTERRUPTED.name(),
          cause,
          row.hosts(),
          System.currentTimeMillis());
      return new Picture(
          new DeploymentProgress(row.id(), DeploymentState.INTERRUPTED, cause, stored.hosts()),
          null,
          null);
    } catch (ProgressQueries.NoAnswer | WorkflowException e) {
      // The workflow cannot answer right now (its task is failing or no worker polls): show
      // what the catalog has rather than fail the request, and say why.
      String stuck = failingTask(row);
      String why =
          stuck != null
              ? "its workflow cannot run its tasks: " + stuck
              : "its workflow did not answer its progress query: " + rootMessage(e);
      log.warn("deployment {}: live view unavailable, {}", row.id(), why);
      return new Picture(stored, "unavailable: " + why + "; showing the catalog's record", stuck);
    }
  }

  /** What ends an INTERRUPTED deployment, by kind. */
  private static String wayOut(DeploymentRow row) {
    String at = "POST /v1/deployments/" + row.id();
    return switch (row.kind()) {
      case "deploy" ->
          "resume it ("
              + at
              + "/resume) or put the hosts it switched back on their previous release ("
              + at
              + "/revert)";
      case "rollback" ->
          "put the hosts it switched back (" + at + "/revert) or deploy the release you want";
      case "config" ->
          "start a config rollout again (POST /v1/apps/"
              + row.app()
              + "/config-rollouts), which puts every host on the config the registry holds now";
      default -> "run it again";
    };
  }

  /**
   * Why the workflow's tasks fail, from its history: the failure of its last workflow task when no
   * task completed after it; null when its tasks do not fail.
   */
  private String failingTask(DeploymentRow row) {
    return failingTask(row.workflowId(), row.runId());
  }

  /** As {@link #failingTask(DeploymentRow)}, for any workflow; a null run id is its latest run. */
  private String failingTask(String workflowId, String runId) {
    try {
      String failure = null;
      for (HistoryEvent event :
          (runId == null
                  ? client.get().fetchHistory(workflowId)
                  : client.get().fetchHistory(workflowId, runId))
              .getEvents()) {
        switch (event.getEventType()) {
          case EVENT_TYPE_WORKFLOW_TASK_FAILED ->
              failure = innermost(event.getWorkflowTaskFailedEventAttributes().getFailure());
          case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> failure = null;
          default -> {}
        }
      }
      return failure;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The innermost cause of a failure, e.g. {@code IllegalStateException: what went wrong}. */
  private static String innermost(Failure failure) {
    Failure root = failure;
    while (root.hasCause()) {
      root = root.getCause();
    }
    String type =
        root.hasApplicationFailureInfo() ? root.getApplicationFailureInfo().getType() : "";
    return (type.isEmpty() ? "" : type.substring(type.lastIndexOf('.') + 1) + ": ")
        + root.getMessage();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** Marks deployments whose workflows vanished while the api was down. */
  public void reconcile() {
    for (DeploymentRow row : deployments.listActive()) {
      try {
        refresh(row);
      } catch (RuntimeException e) {
        log.warn("could not check deployment {}: {}", row.id(), e.getMessage());
      }
    }
  }

  private DeploymentProgress stored(DeploymentRow row) {
    return new DeploymentProgress(
        row.id(),
        DeploymentState.valueOf(row.state()),
        row.cause(),
        row.hosts(),
        null,
        row.batch(),
        row.batches());
  }

  private DeploymentView toView(DeploymentRow row, DeploymentProgress progress, String liveView) {
    return new DeploymentView(
        row.id(),
        row.kind(),
        row.app(),
        row.service(),
        row.version(),
        progress.state().name(),
        progress.cause(),
        progress.hosts(),
        progress.state().terminal() ? null : progress.phase(),
        progress.batch(),
        progress.batches(),
        row.requestedBy(),
        row.reason(),
        Instant.ofEpochMilli(row.startedAt()).toString(),
        row.endedAt() == null ? null : Instant.ofEpochMilli(row.endedAt()).toString(),
        row.workflowId(),
        row.runId(),
        workflowUrl.apply(row.workflowId(), row.runId()),
        liveView,
        row.follows(),
        // A deployment a revert ended without another deployment names itself: show none.
        row.endedBy() == null || row.endedBy().equals(row.id()) ? null : row.endedBy(),
        row.configIndex(),
        progress.state().terminal() ? null : fetching(row, progress.hosts()));
  }

  /** How far each of {@code hosts} that is staging the release got, as its agent reports it. */
  private Map<String, StagingReport> fetching(DeploymentRow row, List<HostProgress> hosts) {
    long now = System.currentTimeMillis();
    Map<String, StagingReport> fetches = new TreeMap<>();
    for (HostProgress host : hosts) {
      if (HostState.STAGING.label().equals(host.state())) {
        staging
            .fetching(host.host(), row.app(), row.version(), now)
            .ifPresent(report -> fetches.put(host.host(), report));
      }
    }
    return fetches.isEmpty() ? null : fetches;
  }
}
