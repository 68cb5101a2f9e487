package dev.cast.activities.service;

import dev.cast.activities.host.Failures;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts services as leaders of their own session and process group ({@code setsid}), so they
 * survive the agent and can be stopped as a whole. Remembers the processes it started so it can say
 * how one exited.
 */
public final class ServiceLauncher {
  private final Map<Long, Process> children = new ConcurrentHashMap<>();

  /**
   * Starts the service and records it in its run file.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_START_FAILED when the command cannot be
   *     found or started
   */
  public RunRecord start(LaunchSpec spec) throws IOException {
    String command = spec.command().isEmpty() ? "" : spec.command().get(0);
    if (Executables.find(command, spec.workDir(), spec.env().get("PATH")).isEmpty()) {
      throw startFailed(spec, "command not found: " + command, null);
    }
    Files.createDirectories(spec.log().getParent());
    Process process;
    try {
      process =
          GroupCommand.builder(spec.command(), spec.workDir(), spec.env())
              .redirectOutput(Redirect.appendTo(spec.log().toFile()))
              .start();
    } catch (IOException e) {
      throw startFailed(spec, e.getMessage(), e);
    }
    children.put(process.pid(), process);
    ProcessGroups.awaitLeader(process);
    Instant startedAt = ProcessIdentity.startInstant(process.pid()).orElse(Instant.EPOCH);
    RunRecord record =
        new RunRecord(process.pid(), startedAt.toString(), spec.version(), spec.ports());
    RunFiles.write(spec.runFile(), record);
    return record;
  }

  /** How a service process this agent started ended, as far as it knows. */
  public String exitInfo(long pid) {
    Process process = children.get(pid);
    if (process == null || process.isAlive()) {
      return "exited (status unknown)";
    }
    int code = process.exitValue();
    return code > 128 ? "killed by signal " + (code - 128) : "exited with code " + code;
  }

  /** Forgets a stopped process. */
  public void forget(long pid) {
    children.remove(pid);
  }

  private static RuntimeException startFailed(LaunchSpec spec, String why, Throwable cause) {
    String message =
        "service " + spec.service() + " could not start " + spec.command() + ": " + why;
    return cause == null
        ? Failures.permanent(DeployFailure.SERVICE_START_FAILED, message)
        : Failures.permanent(DeployFailure.SERVICE_START_FAILED, message, cause);
  }
}
