package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.Failures;
import dev.cast.activities.service.HookRunner;
import dev.cast.bundle.HookSpec;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ServiceSpec;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.util.Map;

/**
 * Runs a release's hooks in its release dir. A hook gets the environment of the release's first
 * service (its env and ports) plus {@code CAST_*}.
 */
final class HookInvoker {
  static final String PRE_ACTIVATE = "pre_activate";
  static final String POST_ACTIVATE = "post_activate";

  private final AppServices services;

  HookInvoker(AppServices services) {
    this.services = services;
  }

  /** Runs the hook if the manifest has it. */
  void run(AppLayout app, String version, Manifest manifest, String hook, Runnable tick)
      throws IOException {
    HookSpec spec = spec(manifest, hook);
    if (spec == null) {
      return;
    }
    Map.Entry<String, ServiceSpec> first = manifest.services().entrySet().iterator().next();
    Map<String, Integer> ports = services.portsOf(app, first.getKey(), first.getValue());
    HookRunner.run(
        hook + " hook of " + app.app() + " " + version,
        spec,
        app.releaseDir(version),
        services.environment(app, version, first.getValue(), ports),
        app.hooksLog(),
        tick);
  }

  private static HookSpec spec(Manifest manifest, String hook) {
    return switch (hook) {
      case PRE_ACTIVATE -> manifest.hooks().preActivate();
      case POST_ACTIVATE -> manifest.hooks().postActivate();
      default ->
          throw Failures.permanent(
              DeployFailure.INVALID_REQUEST,
              "unknown hook \"" + hook + "\"; use " + PRE_ACTIVATE + " or " + POST_ACTIVATE);
    };
  }
}
