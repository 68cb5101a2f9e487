package dev.cast.api.core;

import dev.cast.api.db.DeployPlan;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.HostAppRow;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.RollbackBody;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ends an INTERRUPTED deployment, one whose workflow was lost (the embedded Temporal server keeps
 * workflows in memory). Resume starts the same deploy again, as a new deployment that follows it:
 * the same release, hosts and plan; staging and switching are idempotent, so the hosts it had
 * switched keep their running services and only pass their health checks again. Revert puts the
 * hosts it switched back on their previous release with a rollback. Either ends it once, and its
 * cause then says how.
 */
final class Interruptions {
  private final DeploymentService service;
  private final DeploymentDao deployments;
  private final InstanceDao instances;
  private final ReleaseStore releases;

  Interruptions(
      DeploymentService service,
      DeploymentDao deployments,
      InstanceDao instances,
      ReleaseStore releases) {
    this.service = service;
    this.deployments = deployments;
    this.instances = instances;
    this.releases = releases;
  }

  /** Starts an INTERRUPTED deploy again; the new deployment. */
  DeploymentRow resume(DeploymentRow row, String who) {
    requireOpen(row, "resume");
    if (!row.kind().equals("deploy")) {
      throw ApiException.conflict(
          "NOT_A_DEPLOY",
          row.id()
              + " is a "
              + row.kind()
              + "; only a deploy is resumed. Put back what it switched with POST /v1/deployments/"
              + row.id()
              + "/revert, or deploy the release you want: POST /v1/apps/"
              + row.app()
              + "/deployments");
    }
    List<String> hosts = row.hosts().stream().map(HostProgress::host).toList();
    DeployPlan plan = row.plan() != null ? row.plan() : service.defaultPlan(hosts.size());
    String reason = "resumes " + row.id() + (row.reason() == null ? "" : ": " + row.reason());
    if (reason.length() > Limits.MAX_REASON_CHARS) {
      reason = reason.substring(0, Limits.MAX_REASON_CHARS);
    }
    return service.startDeploy(
        row.app(),
        releases.require(row.app(), row.version()),
        hosts,
        plan,
        reason,
        who,
        ends(row, "resumed by ", "", row.hostsBefore()));
  }

  /**
   * Puts the hosts an INTERRUPTED deployment switched back on their previous release: the rollback
   * that does it, or the deployment itself, ended, when no host had switched.
   */
  DeploymentRow revert(DeploymentRow row, String who) {
    requireOpen(row, "revert");
    if (!row.kind().equals("deploy") && !row.kind().equals("rollback")) {
      throw ApiException.conflict(
          "NOT_A_DEPLOY",
          row.id()
              + " is a service operation ("
              + row.kind()
              + "), which switches no release; run it again: POST /v1/apps/"
              + row.app()
              + "/services/"
              + row.service()
              + "/"
              + row.kind());
    }
    List<String> switched = switched(row, instances.current(row.app()));
    if (switched.isEmpty()) {
      String cause =
          DeploymentStatus.LOST
              + "; reverted: no host had switched to "
              + row.version()
              + ", nothing to put back";
      if (!deployments.endInterrupted(row.id(), row.id(), cause)) {
        throw alreadyEnded(row.id());
      }
      return deployments.find(row.id()).orElseThrow();
    }
    return service.rollback(
        row.app(),
        new RollbackBody(null, switched, null, "reverts " + row.id(), null),
        who,
        ends(
            row,
            "reverted by ",
            ": " + String.join(", ", switched) + " go back to their previous release",
            null));
  }

  /**
   * The target hosts a deployment switched, as the catalog has them now: on its release, which they
   * did not run before it, with a previous release to go back to.
   */
  static List<String> switched(DeploymentRow row, List<HostAppRow> current) {
    Map<String, String> before = row.hostsBefore() == null ? Map.of() : row.hostsBefore();
    Set<String> targets = row.hosts().stream().map(HostProgress::host).collect(Collectors.toSet());
    List<String> switched = new ArrayList<>();
    for (HostAppRow host : current) {
      if (targets.contains(host.host())
          && row.version().equals(host.version())
          && !row.version().equals(before.get(host.host()))
          && host.previousVersion() != null) {
        switched.add(host.host());
      }
    }
    return switched;
  }

  /**
   * Ends {@code row} as the deployment that follows it starts, once: a second resume or revert that
   * got this far finds it ended and is refused.
   */
  private Link ends(DeploymentRow row, String how, String detail, Map<String, String> before) {
    return new Link() {
      @Override
      public void claim(String id) {
        if (!deployments.endInterrupted(
            row.id(), id, DeploymentStatus.LOST + "; " + how + id + detail)) {
          throw alreadyEnded(row.id());
        }
        deployments.setFollows(id, row.id(), before);
      }

      @Override
      public void release(String id) {
        deployments.reopenInterrupted(row.id(), id, row.cause());
      }
    };
  }

  /** Refuses unless the deployment is INTERRUPTED, not yet ended, and the app's newest. */
  private void requireOpen(DeploymentRow row, String action) {
    String id = row.id();
    DeploymentState state = DeploymentState.valueOf(row.state());
    if (state != DeploymentState.INTERRUPTED) {
      String fix =
          state.terminal()
              ? "to go back, roll back: POST /v1/apps/" + row.app() + "/rollback"
              : "cancel it, which puts back what it switched: POST /v1/deployments/"
                  + id
                  + "/cancel";
      throw new ApiException(
          409,
          "NOT_INTERRUPTED",
          "Conflict",
          id
              + " is "
              + state
              + "; only an INTERRUPTED deployment (its workflow was lost) can be "
              + (action.equals("revert") ? "reverted" : "resumed")
              + "; "
              + fix,
          id);
    }
    if (row.endedBy() != null) {
      throw alreadyEnded(id);
    }
    DeploymentRow newest = deployments.latestByApp(row.app()).orElseThrow();
    if (!newest.id().equals(id)) {
      throw new ApiException(
          409,
          "SUPERSEDED",
          "Conflict",
          newest.id()
              + " ("
              + newest.kind()
              + " of "
              + newest.version()
              + ") started after "
              + id
              + "; to "
              + action
              + " "
              + id
              + " now would undo it. Deploy or roll back to what you want: POST /v1/apps/"
              + row.app()
              + "/deployments or /rollback",
          id);
    }
  }

  private ApiException alreadyEnded(String id) {
    DeploymentRow row = deployments.find(id).orElseThrow();
    return new ApiException(
        409,
        "ALREADY_ENDED",
        "Conflict",
        id
            + " was already ended ("
            + row.cause()
            + ")"
            + (row.endedBy() == null || row.endedBy().equals(id)
                ? ""
                : "; follow " + row.endedBy() + ": GET /v1/deployments/" + row.endedBy()),
        id);
  }
}
