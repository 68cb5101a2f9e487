package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.Failures;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.service.CheckResult;
import dev.cast.activities.service.Durations;
import dev.cast.activities.service.HealthChecker;
import dev.cast.activities.service.LogTail;
import dev.cast.activities.service.RunFiles;
import dev.cast.activities.service.RunRecord;
import dev.cast.activities.service.ServiceLauncher;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ServiceSpec;
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
import java.util.stream.Collectors;

/**
 * Waits for every service of a release to pass its health check. Checks run every 100 ms, not at
 * the manifest's interval: during a deploy every second of waiting counts.
 */
final class HealthWaiter {
  static final Duration ROUND = Duration.ofMillis(100);

  private final HostSettings settings;
  private final AppServices services;
  private final HealthChecker checker;

  HealthWaiter(HostSettings settings, AppServices services, HealthChecker checker) {
    this.settings = settings;
    this.services = services;
    this.checker = checker;
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
    for (Map.Entry<String, ServiceSpec> e : manifest.services().entrySet()) {
      String service = e.getKey();
      RunRecord running = requireRunning(app, service, version);
      CheckResult last = results.get(service);
      if (last == null || !last.passed()) {
        CheckResult result = check(app, version, e.getValue(), running, tick);
        results.put(service, result);
        if (!result.passed()) {
          waiting.add(service);
        }
      }
    }
    return waiting;
  }

  private CheckResult check(
      AppLayout app, String version, ServiceSpec spec, RunRecord running, Runnable tick)
      throws IOException {
    if (spec.health() == null) {
      return new CheckResult(true, "process " + running.pid() + " is running");
    }
    return checker.check(
        spec.health(),
        running.ports(),
        app.releaseDir(version),
        services.environment(app, version, spec, running.ports()),
        tick);
  }

  private RunRecord requireRunning(AppLayout app, String service, String version)
      throws IOException {
    var running = services.running(app, service, version);
    if (running.isPresent()) {
      return running.get();
    }
    ServiceLauncher launcher = services.launcher();
    String how =
        RunFiles.read(app.runFile(service))
            .filter(r -> r.version().equals(version))
            .map(r -> launcher.exitInfo(r.pid()))
            .orElse("is not running");
    throw Failures.permanent(
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
    return Failures.permanent(DeployFailure.SERVICE_UNHEALTHY, details);
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
