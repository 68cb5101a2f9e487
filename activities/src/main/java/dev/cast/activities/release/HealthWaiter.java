package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.Heartbeat;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.process.LogTail;
import dev.cast.activities.supervisor.CheckResult;
import dev.cast.activities.supervisor.Supervisor;
import dev.cast.bundle.Durations;
import dev.cast.bundle.Manifest;
import dev.cast.workflows.host.HealthReport;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Waits for every enabled service of a release to pass its health check; disabled services are
 * skipped. Checks run every 100 ms, not at the manifest's interval: during a deploy every second of
 * waiting counts. A service whose process exited since the activation started it fails the wait at
 * once, even if the supervisor is about to restart it: a release that crashes is not deployed.
 */
final class HealthWaiter {
  static final Duration ROUND = Duration.ofMillis(100);
  private static final CheckResult EXITING = new CheckResult(false, "the process is exiting");

  private final HostSettings settings;
  private final Supervisor supervisor;

  HealthWaiter(HostSettings settings, Supervisor supervisor) {
    this.settings = settings;
    this.supervisor = supervisor;
  }

  HealthReport await(HealthRequest request, Heartbeat heartbeat) throws IOException {
    AppLayout app = settings.layout().app(request.app());
    Manifest manifest = ReleaseManifests.load(app, request.version());
    Instant started = Instant.now();
    Instant deadline = started.plusMillis(request.deadlineMillis());
    Map<String, CheckResult> results = new LinkedHashMap<>();
    while (true) {
      List<String> waiting = round(app, request.version(), manifest, results, heartbeat);
      if (waiting.isEmpty()) {
        return report(results);
      }
      heartbeat.details(waiting);
      heartbeat.run();
      if (Instant.now().isAfter(deadline)) {
        throw unhealthy(waiting, results, Duration.between(started, Instant.now()));
      }
      sleep();
    }
  }

  /** Checks every service that has not passed yet; returns the ones still failing. */
  private List<String> round(
      AppLayout app,
      String version,
      Manifest manifest,
      Map<String, CheckResult> results,
      Runnable tick)
      throws IOException {
    List<String> waiting = new ArrayList<>();
    for (String service : manifest.services().keySet()) {
      Optional<Supervisor.Snapshot> snapshot = supervisor.snapshot(app.app(), service);
      if (snapshot.isPresent() && !snapshot.get().enabled()) {
        continue;
      }
      if (exiting(snapshot, version)) {
        // The process is gone but the supervisor has not handled it yet; the next round knows how
        // it ended.
        waiting.add(service);
        results.putIfAbsent(service, EXITING);
        continue;
      }
      requireRunning(app, service, version, snapshot);
      CheckResult last = results.get(service);
      if (last == null || !last.passed()) {
        Optional<CheckResult> result = supervisor.checkNow(app.app(), service, tick);
        if (result.isEmpty()) {
          waiting.add(service);
          results.putIfAbsent(service, EXITING);
          continue;
        }
        results.put(service, result.get());
        if (!result.get().passed()) {
          waiting.add(service);
        }
      }
    }
    return waiting;
  }

  private static boolean exiting(Optional<Supervisor.Snapshot> snapshot, String version) {
    return snapshot.isPresent()
        && version.equals(snapshot.get().version())
        && "running".equals(snapshot.get().state())
        && snapshot.get().running().isEmpty();
  }

  private void requireRunning(
      AppLayout app, String service, String version, Optional<Supervisor.Snapshot> snapshot) {
    boolean running =
        snapshot.isPresent()
            && version.equals(snapshot.get().version())
            && snapshot.get().running().isPresent()
            && snapshot.get().restarts() == 0;
    if (running) {
      return;
    }
    String how =
        snapshot
            .filter(s -> version.equals(s.version()) && s.lastExit() != null)
            .map(Supervisor.Snapshot::lastExit)
            .orElse("is not running");
    throw ApplicationFailures.permanent(
        DeployFailure.SERVICE_EXITED,
        "service "
            + service
            + " of "
            + app.app()
            + " "
            + version
            + " "
            + how
            + "; last lines of "
            + app.serviceLog(service).getFileName()
            + ":\n"
            + LogTail.lastLines(app.serviceLog(service)));
  }

  private static RuntimeException unhealthy(
      List<String> waiting, Map<String, CheckResult> results, Duration waited) {
    String details =
        waiting.stream()
            .map(s -> s + ": " + results.get(s).output() + " for " + Durations.seconds(waited))
            .collect(Collectors.joining("; "));
    return ApplicationFailures.permanent(DeployFailure.SERVICE_UNHEALTHY, details);
  }

  private static HealthReport report(Map<String, CheckResult> results) {
    List<HealthReport.ServiceHealth> services = new ArrayList<>();
    results.forEach(
        (service, result) ->
            services.add(new HealthReport.ServiceHealth(service, "passing", result.output())));
    return new HealthReport(services);
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(ROUND.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for health", e);
    }
  }
}
