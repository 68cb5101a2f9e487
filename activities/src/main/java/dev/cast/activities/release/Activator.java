package dev.cast.activities.release;

import dev.cast.activities.config.ConfigPlaces;
import dev.cast.activities.config.ReleaseConfig;
import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.Heartbeat;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.supervisor.Supervisor;
import dev.cast.bundle.Manifest;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.Endpoint;
import dev.cast.workflows.host.RenderedConfig;
import io.temporal.client.ActivityCompletionException;
import java.io.IOException;
import java.util.List;

/**
 * Switches an app to a staged release: shared links, ports, config files rendered from its
 * templates and {@code pre_activate} while the old release still serves, stop the old services,
 * move {@code previous} and {@code current}, start the new services under the supervisor (a
 * disabled service stays stopped).
 */
final class Activator {
  private final HostSettings settings;
  private final AppServices services;
  private final Supervisor supervisor;
  private final HookRunner hooks;
  private final ReleaseConfig config;

  Activator(
      HostSettings settings,
      AppServices services,
      Supervisor supervisor,
      HookRunner hooks,
      ReleaseConfig config) {
    this.settings = settings;
    this.services = services;
    this.supervisor = supervisor;
    this.hooks = hooks;
    this.config = config;
  }

  Activation activate(ActivateRequest request, Heartbeat heartbeat) throws IOException {
    AppLayout app = settings.layout().app(request.app());
    String version = request.version();
    Manifest manifest = ReleaseManifests.load(app, version);
    String current = ReleaseLinks.version(app.current());
    if (version.equals(current) && supervisor.allRunning(app.app(), version, manifest)) {
      // Deploying what already runs: take it as deliberately started, so restarts that happened
      // before this deploy (e.g. while no agent watched) do not fail its health wait.
      supervisor.ensureRunning(app.app(), version, manifest);
      return activation(app, manifest, config.recorded(app, version));
    }
    SharedLinks.link(app, version, manifest.shared());
    List<Endpoint> endpoints = services.allocate(app, manifest);
    RenderedConfig rendered;
    if (version.equals(current)) {
      // An earlier attempt rendered the config, ran the hook and switched.
      rendered = config.recorded(app, version);
    } else {
      // A release this host rendered before (a rollback, a revert) keeps the files it had then,
      // unless asked to render again. Else a template that cannot be rendered fails the switch
      // here, while the old release serves.
      RenderedConfig kept = request.rerenderConfig() ? null : config.recorded(app, version);
      if (kept != null) {
        // Its files in shared/ may have been rendered for another release since.
        ConfigPlaces.restoreShared(app, version);
      }
      rendered =
          kept != null
              ? kept
              : config.render(
                  app,
                  version,
                  manifest,
                  AppServices.byName(endpoints),
                  services.firstServiceEnvironment(app, version, manifest));
      hooks.run(app, version, manifest, HookRunner.PRE_ACTIVATE, heartbeat);
    }
    // Once the old services stop, the switch goes through or the old release comes back: a
    // workflow that gave up on this host (it was cut off, its heartbeats answer "no such
    // activity") must not leave it with nothing running.
    TolerantTick stopping = new TolerantTick(heartbeat);
    supervisor.stopApp(app.app(), null, stopping);
    if (stopping.abandoned != null) {
      if (current != null && !version.equals(current)) {
        supervisor.ensureRunning(app.app(), current, ReleaseManifests.load(app, current));
      }
      throw stopping.abandoned;
    }
    switchLinks(app, current, version);
    supervisor.ensureRunning(app.app(), version, manifest);
    return activation(app, manifest, rendered);
  }

  /**
   * Heartbeats while the old services stop, keeping (not throwing) the first sign that the activity
   * is gone: cancelled, timed out, or its workflow closed.
   */
  private static final class TolerantTick implements Runnable {
    private final Heartbeat heartbeat;
    private ActivityCompletionException abandoned;

    TolerantTick(Heartbeat heartbeat) {
      this.heartbeat = heartbeat;
    }

    @Override
    public void run() {
      if (abandoned != null) {
        return;
      }
      try {
        heartbeat.run();
      } catch (ActivityCompletionException e) {
        abandoned = e;
      }
    }
  }

  private static void switchLinks(AppLayout app, String current, String version)
      throws IOException {
    if (current != null && current.equals(version)) {
      return; // An earlier attempt switched already.
    }
    // Remembered for a revert of this switch, which puts previous back as well.
    String before = ReleaseLinks.version(app.previous());
    if (before == null) {
      ReleaseLinks.remove(app.previousBeforeSwitch());
    } else {
      ReleaseLinks.point(app.previousBeforeSwitch(), before);
    }
    if (current == null) {
      ReleaseLinks.remove(app.previous()); // A stale previous must not become a rollback target.
    } else {
      ReleaseLinks.point(app.previous(), current);
    }
    ReleaseLinks.point(app.current(), version);
  }

  private Activation activation(AppLayout app, Manifest manifest, RenderedConfig rendered)
      throws IOException {
    return new Activation(
        settings.hostName(),
        settings.address(),
        ReleaseLinks.version(app.previous()),
        services.allocate(app, manifest),
        rendered);
  }
}
