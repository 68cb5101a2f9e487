package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.bundle.Manifest;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import java.io.IOException;

/**
 * Switches an app to a staged release: shared links, ports, {@code pre_activate} while the old
 * release still serves, stop the old services, move {@code previous} and {@code current}, start the
 * new services.
 */
final class Activator {
  private final HostSettings settings;
  private final AppServices services;
  private final HookInvoker hooks;

  Activator(HostSettings settings, AppServices services, HookInvoker hooks) {
    this.settings = settings;
    this.services = services;
    this.hooks = hooks;
  }

  Activation activate(ActivateRequest request, Heartbeat heartbeat) throws IOException {
    AppLayout app = settings.layout().app(request.app());
    String version = request.version();
    Manifest manifest = ReleaseManifests.load(app, version);
    String current = ReleaseLinks.version(app.current());
    if (version.equals(current) && services.allRunning(app, version, manifest)) {
      return activation(app, manifest);
    }
    SharedLinks.link(app, version, manifest.shared());
    services.allocate(app, manifest);
    if (!version.equals(current)) {
      // When current already points here an earlier attempt ran the hook and switched.
      hooks.run(app, version, manifest, HookInvoker.PRE_ACTIVATE, heartbeat);
    }
    services.stopAll(app, heartbeat);
    switchLinks(app, current, version);
    services.ensureRunning(app, version, manifest);
    return activation(app, manifest);
  }

  private static void switchLinks(AppLayout app, String current, String version)
      throws IOException {
    if (current == null) {
      ReleaseLinks.remove(app.previous()); // A stale previous must not become a rollback target.
    } else if (!current.equals(version)) {
      ReleaseLinks.point(app.previous(), current);
    }
    ReleaseLinks.point(app.current(), version);
  }

  private Activation activation(AppLayout app, Manifest manifest) throws IOException {
    return new Activation(
        settings.hostName(),
        settings.address(),
        ReleaseLinks.version(app.previous()),
        services.allocate(app, manifest));
  }
}
