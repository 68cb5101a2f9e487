package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.service.LaunchSpec;
import dev.cast.activities.service.RunFiles;
import dev.cast.activities.service.RunRecord;
import dev.cast.activities.service.ServiceEnvironment;
import dev.cast.activities.service.ServiceLauncher;
import dev.cast.activities.service.ServiceStopper;
import dev.cast.activities.service.StopTarget;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ServiceSpec;
import dev.cast.bundle.StopSpec;
import dev.cast.workflows.host.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The services of one app on this host: their ports, environment, start and stop. */
final class AppServices {
  private static final StopSpec DEFAULT_STOP = new StopSpec("TERM", Duration.ofSeconds(10));

  private final String hostName;
  private final PortAllocator ports;
  private final ServiceLauncher launcher;
  private final ServiceStopper stopper;

  AppServices(String hostName, PortAllocator ports, ServiceLauncher launcher) {
    this.hostName = hostName;
    this.ports = ports;
    this.launcher = launcher;
    this.stopper = new ServiceStopper(launcher);
  }

  ServiceLauncher launcher() {
    return launcher;
  }

  /** Allocates (or finds) every service's ports; returns them as endpoints in manifest order. */
  List<Endpoint> allocate(AppLayout app, Manifest manifest) {
    List<Endpoint> endpoints = new ArrayList<>();
    manifest
        .services()
        .forEach(
            (name, spec) ->
                ports
                    .allocate(app.app(), name, spec.ports())
                    .forEach(
                        (portName, port) -> endpoints.add(new Endpoint(name, portName, port))));
    return endpoints;
  }

  Map<String, Integer> portsOf(AppLayout app, String service, ServiceSpec spec) {
    return ports.allocate(app.app(), service, spec.ports());
  }

  Map<String, String> environment(
      AppLayout app, String version, ServiceSpec spec, Map<String, Integer> servicePorts) {
    return ServiceEnvironment.build(
        spec.env(), spec.ports(), servicePorts, app.app(), version, hostName);
  }

  /** The service's run record if it runs the version right now. */
  Optional<RunRecord> running(AppLayout app, String service, String version) throws IOException {
    return RunFiles.read(app.runFile(service))
        .filter(r -> r.version().equals(version) && r.alive());
  }

  boolean allRunning(AppLayout app, String version, Manifest manifest) throws IOException {
    for (String service : manifest.services().keySet()) {
      if (running(app, service, version).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Starts each service of the version that does not run it already. */
  void ensureRunning(AppLayout app, String version, Manifest manifest) throws IOException {
    for (Map.Entry<String, ServiceSpec> e : manifest.services().entrySet()) {
      if (running(app, e.getKey(), version).isEmpty()) {
        start(app, version, e.getKey(), e.getValue());
      }
    }
  }

  private void start(AppLayout app, String version, String service, ServiceSpec spec)
      throws IOException {
    Map<String, Integer> servicePorts = portsOf(app, service, spec);
    launcher.start(
        new LaunchSpec(
            service,
            version,
            spec.command(),
            app.releaseDir(version),
            environment(app, version, spec, servicePorts),
            servicePorts,
            app.serviceLog(service),
            app.runFile(service)));
  }

  /** Stops every service of the app that has a run file, whatever version it runs. */
  void stopAll(AppLayout app, Runnable tick) throws IOException {
    stopWhere(app, r -> true, tick);
  }

  /** Stops the services whose run record matches, each as its own release's manifest says. */
  void stopWhere(AppLayout app, Predicate<RunRecord> which, Runnable tick) throws IOException {
    List<StopTarget> targets = new ArrayList<>();
    for (Map.Entry<String, RunRecord> e : RunFiles.list(app.runDir()).entrySet()) {
      if (which.test(e.getValue())) {
        StopSpec stop = stopSpec(app, e.getValue().version(), e.getKey());
        targets.add(
            new StopTarget(
                e.getKey(), e.getValue(), stop.signal(), stop.grace(), app.runFile(e.getKey())));
      }
    }
    stopper.stopAll(targets, tick);
  }

  private static StopSpec stopSpec(AppLayout app, String version, String service) {
    return ReleaseManifests.find(app, version)
        .map(m -> m.services().get(service))
        .map(ServiceSpec::stop)
        .orElse(DEFAULT_STOP);
  }
}
