package dev.cast.activities.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived command (a hook, a health command) as the leader of its own process group,
 * with output appended to a file. On timeout the whole group is killed; processes the command
 * leaves behind are killed too, so nothing it started outlives it.
 */
public final class GroupCommand {
  static final String SETSID =
      Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : "setsid";

  private static final long WAIT_SLICE_MILLIS = 50;

  private GroupCommand() {}

  /**
   * @param exitCode the exit code, or -1 when the command timed out
   */
  public record Result(int exitCode, boolean timedOut) {}

  /** A process builder that starts {@code argv} as a group leader in {@code workDir}. */
  public static ProcessBuilder builder(List<String> argv, Path workDir, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(SETSID);
    command.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.redirectInput(new File("/dev/null")).redirectErrorStream(true);
  }

  public static Result run(
      List<String> argv,
      Path workDir,
      Map<String, String> env,
      Path output,
      Duration timeout,
      Runnable tick)
      throws IOException {
    Files.createDirectories(output.getParent());
    Process process =
        builder(argv, workDir, env)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
            .start();
    long pgid = process.pid();
    boolean exited = waitFor(process, Instant.now().plus(timeout), tick);
    if (!exited) {
      // Only a group that exists can be signalled. A command that exited made its group (or
      // failed to, and has none); waiting for that up front cost most checks a polling loop.
      ProcessGroups.awaitLeader(process);
    }
    // Whatever is left of the group (all of it on timeout, strays otherwise) must not outlive it.
    ProcessGroups.kill(pgid, tick);
    if (!exited) {
      waitFor(process, Instant.now().plusSeconds(5), tick);
      return new Result(-1, true);
    }
    return new Result(process.exitValue(), false);
  }

  private static boolean waitFor(Process process, Instant deadline, Runnable tick)
      throws IOException {
    try {
      while (Instant.now().isBefore(deadline)) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (process.waitFor(
            Math.max(1, Math.min(WAIT_SLICE_MILLIS, left)), TimeUnit.MILLISECONDS)) {
          return true;
        }
        tick.run();
      }
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + process.pid(), e);
    }
  }
}
