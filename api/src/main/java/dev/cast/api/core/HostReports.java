package dev.cast.api.core;

import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.HostAppRow;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.InstanceRow;
import dev.cast.api.model.AppReport;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.HostProgress;
import dev.cast.workflows.shared.HostState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs where is what the hosts say. Each agent reports what its {@code current} and {@code
 * previous} links point at (with every heartbeat and after every activity); the catalog takes that
 * as the truth, whatever a workflow recorded or failed to record (a server killed mid-switch never
 * records the switch), and fills in the hosts of a deployment that was interrupted.
 */
public final class HostReports {
  private static final Logger log = LoggerFactory.getLogger(HostReports.class);

  /** Per-host states of a deployment that say nothing final about the host yet. */
  private static final Set<String> UNSETTLED =
      Set.of(
          HostState.PENDING.label(),
          HostState.STAGING.label(),
          HostState.STAGED.label(),
          HostState.ACTIVATING.label(),
          HostState.REVERTING.label());

  private final InstanceDao instances;
  private final DeploymentDao deployments;

  public HostReports(InstanceDao instances, DeploymentDao deployments) {
    this.instances = instances;
    this.deployments = deployments;
  }

  /** Reconciles the catalog with one host's report of every app it has. */
  public void apps(String host, String address, List<AppReport> reports) {
    Map<String, AppReport> byApp = new LinkedHashMap<>();
    for (AppReport report : reports) {
      if (report != null && report.app() != null && validApp(report.app())) {
        byApp.put(report.app(), report);
      }
    }
    for (AppReport report : byApp.values()) {
      reconcile(host, address, report);
    }
    // An app the catalog places on the host but the host no longer has: nothing runs there.
    for (HostAppRow row : instances.onHost(host)) {
      if (!byApp.containsKey(row.app()) && row.version() != null) {
        reconcile(host, address, new AppReport(row.app(), null, null, List.of(), List.of()));
      }
    }
  }

  private static boolean validApp(String app) {
    try {
      Names.app(app);
      return true;
    } catch (RuntimeException e) {
      return false; // Not an app Cast made (a stray directory): nothing to reconcile.
    }
  }

  private void reconcile(String host, String address, AppReport report) {
    String app = report.app();
    List<String> releases = report.releases() == null ? List.of() : report.releases();
    var before =
        instances.reconcile(
            app,
            host,
            report.current(),
            report.previous(),
            releases,
            instanceRows(app, host, address, report));
    String was = before.map(HostAppRow::version).orElse(null);
    String wasPrevious = before.map(HostAppRow::previousVersion).orElse(null);
    if (before.isPresent()
        && (!Objects.equals(was, report.current())
            || !Objects.equals(wasPrevious, report.previous()))) {
      // While a deployment of the app runs, hosts report its switches before it records them.
      boolean running =
          deployments
              .latestByApp(app)
              .map(d -> !DeploymentState.valueOf(d.state()).terminal())
              .orElse(false);
      String format =
          "catalog corrected from host {}: {} current {} (was {}), previous {} (was {})";
      Object[] args = {host, app, report.current(), was, report.previous(), wasPrevious};
      if (running) {
        log.debug(format, args);
      } else {
        log.info(format, args);
      }
    }
    settleInterrupted(app, host, report.current());
  }

  private List<InstanceRow> instanceRows(
      String app, String host, String address, AppReport report) {
    if (report.current() == null || report.endpoints() == null) {
      return List.of();
    }
    return InstanceRow.perService(
        app,
        host,
        report.current(),
        address,
        "unknown",
        report.endpoints(),
        AppReport.Port::service,
        AppReport.Port::portName,
        AppReport.Port::port);
  }

  /**
   * The app's newest deployment, when it was interrupted with this host unsettled, learns where the
   * host ended up: switched to the deployment's release, or still on another.
   */
  private void settleInterrupted(String app, String host, String current) {
    DeploymentRow row = deployments.latestByApp(app).orElse(null);
    if (row == null || !DeploymentState.INTERRUPTED.name().equals(row.state())) {
      return; // Only the newest deployment of an app can still be unsettled.
    }
    boolean changed = false;
    List<HostProgress> settled = new ArrayList<>();
    for (HostProgress progress : row.hosts()) {
      if (progress.host().equals(host) && UNSETTLED.contains(progress.state())) {
        settled.add(settle(progress, row.version(), current));
        changed = true;
      } else {
        settled.add(progress);
      }
    }
    if (changed) {
      deployments.updateState(row.id(), row.state(), row.cause(), settled, row.endedAt());
      log.info(
          "interrupted deployment {}: host {} reports {} current",
          row.id(),
          host,
          current == null ? "nothing" : current);
    }
  }

  private static HostProgress settle(HostProgress progress, String version, String current) {
    String when = " (interrupted while " + progress.state() + ")";
    if (version.equals(current)) {
      return HostProgress.of(
          progress.host(),
          HostState.SWITCHED,
          "switched to " + version + " before the interruption" + when);
    }
    return HostProgress.of(
        progress.host(),
        HostState.UNCHANGED,
        "not switched, " + (current == null ? "no release current" : "still on " + current) + when);
  }
}
