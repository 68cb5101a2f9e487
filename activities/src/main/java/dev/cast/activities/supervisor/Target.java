package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ServiceSpec;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;

/** A service of a release: the app's files, the release's version and the service's spec. */
record Target(AppLayout layout, String version, ServiceSpec spec) {

  /**
   * The service in the app's current release.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_NOT_FOUND
   */
  static Target current(HostSettings settings, String app, String service) throws IOException {
    AppLayout layout = settings.layout().app(app);
    String version = ReleaseLinks.version(layout.current());
    if (version == null) {
      throw ApplicationFailures.permanent(
          DeployFailure.SERVICE_NOT_FOUND,
          "app " + app + " has no current release on host " + settings.hostName());
    }
    Manifest manifest = ReleaseManifests.load(layout, version);
    ServiceSpec spec = manifest.services().get(service);
    if (spec == null) {
      throw ApplicationFailures.permanent(
          DeployFailure.SERVICE_NOT_FOUND,
          "service "
              + service
              + " is not in "
              + app
              + " "
              + version
              + " on host "
              + settings.hostName()
              + " (it has "
              + String.join(", ", manifest.services().keySet())
              + ")");
    }
    return new Target(layout, version, spec);
  }

  /** The service's spec in a staged release, or null when the release or the service is gone. */
  static ServiceSpec specOf(AppLayout layout, String version, String service) {
    if (version == null) {
      return null;
    }
    return ReleaseManifests.find(layout, version).map(m -> m.services().get(service)).orElse(null);
  }
}
