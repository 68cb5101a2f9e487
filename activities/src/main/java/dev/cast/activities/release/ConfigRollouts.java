package dev.cast.activities.release;

import dev.cast.activities.config.ConfigChanges;
import dev.cast.activities.config.ReleaseConfig;
import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.Heartbeat;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.supervisor.Supervisor;
import dev.cast.bundle.Manifest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.ConfigApply;
import dev.cast.workflows.host.ConfigPlan;
import dev.cast.workflows.host.ConfigRequest;
import dev.cast.workflows.host.Endpoint;
import dev.cast.workflows.host.RenderedConfig;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A config rollout on this host: re-render the templates of the release the app runs, then apply
 * the changed files as their {@code on_change} says (restart the services, signal them, or
 * nothing), or put the previous files back.
 */
final class ConfigRollouts {
  private static final Logger log = LoggerFactory.getLogger(ConfigRollouts.class);

  private final HostSettings settings;
  private final AppServices services;
  private final Supervisor supervisor;
  private final HealthWaiter health;
  private final ReleaseConfig config;
  private final ConfigChanges changes;

  ConfigRollouts(
      HostSettings settings,
      AppServices services,
      Supervisor supervisor,
      HealthWaiter health,
      ReleaseConfig config) {
    this.settings = settings;
    this.services = services;
    this.supervisor = supervisor;
    this.health = health;
    this.config = config;
    this.changes = new ConfigChanges(config);
  }

  ConfigPlan render(ConfigRequest request) throws IOException {
    AppLayout app = settings.layout().app(request.app());
    String current = ReleaseLinks.version(app.current());
    if (current == null) {
      return leftAlone(null, request.app() + " runs no release on this host");
    }
    if (!current.equals(request.version())) {
      return leftAlone(
          current, "runs " + current + ", not " + request.version() + "; left as it is");
    }
    Manifest manifest = ReleaseManifests.load(app, current);
    if (manifest.templates().isEmpty()) {
      return leftAlone(current, current + " has no config templates");
    }
    List<Endpoint> endpoints = services.allocate(app, manifest);
    return changes.plan(
        app,
        current,
        manifest.shared(),
        request.deploymentId(),
        config.renderOnly(
            app,
            current,
            manifest,
            AppServices.byName(endpoints),
            services.firstServiceEnvironment(app, current, manifest)));
  }

  private static ConfigPlan leftAlone(String version, String why) {
    return new ConfigPlan(version, List.of(), "none", 0, why);
  }

  Activation apply(ConfigApply request, Heartbeat heartbeat) throws IOException {
    AppLayout app = settings.layout().app(request.app());
    Manifest manifest = requireCurrent(app, request);
    RenderedConfig applied =
        changes.apply(app, request.version(), manifest.shared(), request.deploymentId());
    act(app, request, manifest, heartbeat);
    if (restarts(request.action())) {
      health.await(request.health(), heartbeat);
    }
    return new Activation(
        settings.hostName(),
        settings.address(),
        ReleaseLinks.version(app.previous()),
        services.allocate(app, manifest),
        applied);
  }

  void revert(ConfigApply request, Heartbeat heartbeat) throws IOException {
    AppLayout app = settings.layout().app(request.app());
    String current = ReleaseLinks.version(app.current());
    if (!request.version().equals(current)) {
      log.warn(
          "config rollout {}: {} runs {}, not {}; its config is left as it is",
          request.deploymentId(),
          request.app(),
          current,
          request.version());
      return;
    }
    Manifest manifest = ReleaseManifests.load(app, current);
    if (changes.revert(app, current, manifest.shared(), request.deploymentId())) {
      act(app, request, manifest, heartbeat);
    } else {
      supervisor.ensureRunning(app.app(), current, manifest);
    }
  }

  private Manifest requireCurrent(AppLayout app, ConfigApply request) throws IOException {
    String current = ReleaseLinks.version(app.current());
    if (!request.version().equals(current)) {
      throw ApplicationFailures.permanent(
          DeployFailure.CONFIG_TEMPLATE_FAILED,
          request.app()
              + " runs "
              + current
              + " on "
              + settings.hostName()
              + " now, not "
              + request.version()
              + " whose config was rendered; start the config rollout again");
    }
    return ReleaseManifests.load(app, current);
  }

  private static boolean restarts(String action) {
    return action.equals("rollout") || action.equals("restart");
  }

  /** Restarts the app's services, signals them, or nothing, as the change calls for. */
  private void act(AppLayout app, ConfigApply request, Manifest manifest, Heartbeat heartbeat)
      throws IOException {
    String action = request.action();
    if (restarts(action)) {
      supervisor.stopApp(app.app(), null, heartbeat);
      supervisor.ensureRunning(app.app(), request.version(), manifest);
    } else if (action.startsWith("signal:")) {
      String signal = action.substring("signal:".length());
      List<String> got = supervisor.signalApp(app.app(), request.version(), signal);
      log.info("config of {}: sent SIG{} to {}", app.app(), signal, got);
      supervisor.ensureRunning(app.app(), request.version(), manifest);
    }
  }
}
