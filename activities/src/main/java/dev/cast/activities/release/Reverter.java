package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.Heartbeat;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.supervisor.Supervisor;
import dev.cast.bundle.Manifest;
import dev.cast.workflows.host.RevertRequest;
import java.io.IOException;

/**
 * Puts the previous release back after a failed activation, whether or not the activation got as
 * far as switching. The failed release stays on disk.
 */
final class Reverter {
  private final HostSettings settings;
  private final Supervisor supervisor;

  Reverter(HostSettings settings, Supervisor supervisor) {
    this.settings = settings;
    this.supervisor = supervisor;
  }

  void revert(RevertRequest request, Heartbeat heartbeat) throws IOException {
    AppLayout app = settings.layout().app(request.app());
    String target = request.previousVersion();
    if (target == null) {
      supervisor.stopApp(app.app(), null, heartbeat);
      ReleaseLinks.remove(app.current());
      supervisor.forgetStopped(app.app());
      return;
    }
    Manifest manifest = ReleaseManifests.load(app, target);
    // Services already running the previous release are left alone: the activation may never
    // have stopped them.
    supervisor.stopApp(app.app(), target, heartbeat);
    String current = ReleaseLinks.version(app.current());
    if (!target.equals(current)) {
      if (current != null && current.equals(request.failedVersion())) {
        // The switch happened: previous goes back to what it was before it, so the failed
        // release never becomes the next rollback's target.
        String before = ReleaseLinks.version(app.previousBeforeSwitch());
        if (before == null || before.equals(target)) {
          ReleaseLinks.remove(app.previous());
        } else {
          ReleaseLinks.point(app.previous(), before);
        }
      }
      ReleaseLinks.point(app.current(), target);
    }
    supervisor.ensureRunning(app.app(), target, manifest);
  }
}
