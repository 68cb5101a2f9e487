package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.process.Executables;
import dev.cast.activities.process.GroupCommand;
import dev.cast.activities.process.ProcessGroups;
import dev.cast.activities.process.ProcessIdentity;
import dev.cast.activities.process.RunFiles;
import dev.cast.activities.process.RunRecord;
import dev.cast.activities.process.ServiceEnvironment;
import dev.cast.bundle.ServiceSpec;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a service process: its ports (moved when something else took one), its environment, the
 * wrapper that pipes its output to the logger, and its run file.
 */
final class Launcher {
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);

  private final String hostName;
  private final PortAllocator ports;
  private final Wrapper wrapper;
  private final SupervisorSettings config;

  Launcher(String hostName, PortAllocator ports, Wrapper wrapper, SupervisorSettings config) {
    this.hostName = hostName;
    this.ports = ports;
    this.wrapper = wrapper;
    this.config = config;
  }

  /**
   * Starts the service as the leader of its own process group and records it in its run file.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_START_FAILED when the command cannot be
   *     found or started, PORT_IN_USE when no port is left
   */
  Unit.Proc launch(AppLayout app, String service, String version, ServiceSpec spec, int restarts)
      throws IOException {
    Map<String, Integer> servicePorts = freePorts(app.app(), service, spec);
    Map<String, String> env =
        ServiceEnvironment.build(
            spec.env(), spec.ports(), servicePorts, app.app(), version, hostName);
    Path workDir = app.releaseDir(version);
    String command = spec.command().isEmpty() ? "" : spec.command().get(0);
    if (Executables.find(command, workDir, env.get("PATH")).isEmpty()) {
      throw startFailed(app, service, spec, "command not found: " + command, null);
    }
    Path logFile = app.serviceLog(service);
    Files.createDirectories(logFile.getParent());
    Process process;
    try {
      process =
          GroupCommand.builder(
                  wrapper.argv(spec.command(), logFile, config.logMaxBytes(), config.logKeep()),
                  workDir,
                  env)
              .redirectOutput(Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw startFailed(app, service, spec, e.getMessage(), e);
    }
    ProcessGroups.awaitLeader(process);
    Instant startedAt = ProcessIdentity.startInstant(process.pid()).orElse(Instant.EPOCH);
    RunRecord record =
        new RunRecord(
            process.pid(), startedAt.toString(), version, servicePorts, restarts, null, false);
    RunFiles.write(app.runFile(service), record);
    return new Unit.Proc(process.pid(), startedAt, process, record);
  }

  /**
   * The service's ports. The service is not running, so a port that cannot be bound is held by some
   * other process: the service moves to another port rather than fail to start.
   */
  private Map<String, Integer> freePorts(String app, String service, ServiceSpec spec) {
    Map<String, Integer> allocated = ports.allocate(app, service, spec.ports());
    Map<String, Integer> usable = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : allocated.entrySet()) {
      int port = e.getValue();
      if (!PortAllocator.bindable(port)) {
        int moved = ports.reallocate(app, service, e.getKey());
        log.warn(
            "port {} of {}/{} ({}) is held by another process; moved {}/{} {} from port {} to {}",
            port,
            app,
            service,
            e.getKey(),
            app,
            service,
            e.getKey(),
            port,
            moved);
        port = moved;
      }
      usable.put(e.getKey(), port);
    }
    return usable;
  }

  private static RuntimeException startFailed(
      AppLayout app, String service, ServiceSpec spec, String why, Throwable cause) {
    String message =
        "service "
            + service
            + " of "
            + app.app()
            + " could not start "
            + spec.command()
            + ": "
            + why;
    return cause == null
        ? ApplicationFailures.permanent(DeployFailure.SERVICE_START_FAILED, message)
        : ApplicationFailures.permanent(DeployFailure.SERVICE_START_FAILED, message, cause);
  }
}
