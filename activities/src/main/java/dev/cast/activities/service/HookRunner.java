package dev.cast.activities.service;

import dev.cast.activities.host.Failures;
import dev.cast.activities.process.GroupCommand;
import dev.cast.activities.process.LogTail;
import dev.cast.bundle.HookSpec;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/** Runs a hook in its own process group, its output appended to {@code logs/hooks.log}. */
public final class HookRunner {
  private HookRunner() {}

  /**
   * @param label names the hook in messages, e.g. {@code pre_activate hook of hello 2.0.0}
   * @throws io.temporal.failure.ApplicationFailure HOOK_FAILED on a non-zero exit or a timeout
   */
  public static void run(
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
      throw Failures.permanent(
          DeployFailure.HOOK_FAILED,
          label + " " + why + "; last output:\n" + LogTail.lastLines(log, offset));
    }
  }
}
