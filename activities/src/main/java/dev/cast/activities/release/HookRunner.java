package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.process.GroupCommand;
import dev.cast.activities.process.LogTail;
import dev.cast.bundle.Durations;
import dev.cast.bundle.HookSpec;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ServiceSpec;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * Runs a release's hooks in its release dir, each in its own process group with its output appended
 * to {@code logs/hooks.log}. A hook gets the environment of the release's first service (its env
 * and ports) plus {@code CAST_*}.
 */
final class HookRunner {
  static final String PRE_ACTIVATE = "pre_activate";
  static final String POST_ACTIVATE = "post_activate";

  private final AppServices services;

  HookRunner(AppServices services) {
    this.services = services;
  }

  /**
   * Runs the hook if the manifest has it.
   *
   * @throws io.temporal.failure.ApplicationFailure HOOK_FAILED on a non-zero exit or a timeout,
   *     INVALID_REQUEST for a hook name that is neither {@value #PRE_ACTIVATE} nor {@value
   *     #POST_ACTIVATE}
   */
  void run(AppLayout app, String version, Manifest manifest, String hook, Runnable tick)
      throws IOException {
    HookSpec spec = spec(manifest, hook);
    if (spec == null) {
      return;
    }
    Map.Entry<String, ServiceSpec> first = manifest.services().entrySet().iterator().next();
    Map<String, Integer> ports = services.portsOf(app, first.getKey(), first.getValue());
    runLogged(
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
          throw ApplicationFailures.permanent(
              DeployFailure.INVALID_REQUEST,
              "unknown hook \"" + hook + "\"; use " + PRE_ACTIVATE + " or " + POST_ACTIVATE);
    };
  }

  /**
   * @param label names the hook in messages, e.g. {@code pre_activate hook of hello 2.0.0}
   */
  private static void runLogged(
      String label, HookSpec hook, Path workDir, Map<String, String> env, Path log, Runnable tick)
      throws IOException {
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "== " + label + " at " + Instant.now() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    long offset = LogTail.end(log);
    GroupCommand.Result result =
        GroupCommand.run(hook.command(), workDir, env, log, hook.timeout(), tick);
    if (result.timedOut() || result.exitCode() != 0) {
      String why =
          result.timedOut()
              ? "timed out after " + Durations.seconds(hook.timeout())
              : "exited with code " + result.exitCode();
      throw ApplicationFailures.permanent(
          DeployFailure.HOOK_FAILED,
          label + " " + why + "; last output:\n" + LogTail.lastLines(log, offset));
    }
  }
}
