package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLocks;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.Heartbeat;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.PathNames;
import dev.cast.activities.process.LogTail;
import dev.cast.workflows.host.ServiceActivities;
import dev.cast.workflows.host.ServiceCommand;
import dev.cast.workflows.host.ServiceHealthRequest;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.shared.DeployFailure;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Control of single services of the current release, through the host's {@link Supervisor}. */
public final class ServiceActivitiesImpl implements ServiceActivities {
  static final Duration POLL = Duration.ofMillis(50);

  private final HostSettings settings;
  private final Supervisor supervisor;
  private final AppLocks locks;

  /**
   * @param locks shared with the release activities, so a control never races an activation
   */
  public ServiceActivitiesImpl(HostSettings settings, Supervisor supervisor, AppLocks locks) {
    this.settings = settings;
    this.supervisor = supervisor;
    this.locks = locks;
  }

  @Override
  public ServiceStatus controlService(ServiceCommand command) {
    check(command.app(), command.service());
    String action = command.action() == null ? "" : command.action();
    Heartbeat heartbeat = Heartbeat.start(action + " " + command.service());
    String app = command.app();
    String service = command.service();
    try {
      return locks.with(
          app,
          () ->
              switch (action) {
                case "start" -> supervisor.startService(app, service);
                case "stop" -> supervisor.stopService(app, service, heartbeat);
                case "restart" -> supervisor.restartService(app, service, heartbeat);
                case "enable" -> supervisor.enableService(app, service);
                case "disable" -> supervisor.disableService(app, service, heartbeat);
                default ->
                    throw ApplicationFailures.permanent(
                        DeployFailure.INVALID_REQUEST,
                        "unknown action \""
                            + action
                            + "\"; use start, stop, restart, enable or disable");
              });
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
  }

  @Override
  public ServiceStatus awaitServiceHealthy(ServiceHealthRequest request) {
    check(request.app(), request.service());
    Heartbeat heartbeat = Heartbeat.start("waiting for " + request.service());
    try {
      return await(request, heartbeat);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
  }

  private ServiceStatus await(ServiceHealthRequest request, Heartbeat heartbeat)
      throws IOException {
    String app = request.app();
    String service = request.service();
    Instant deadline = Instant.now().plusMillis(request.deadlineMillis());
    String lastOutput = "no check ran";
    while (true) {
      Supervisor.Snapshot snapshot = snapshot(app, service);
      if (!snapshot.enabled()) {
        throw ApplicationFailures.permanent(
            DeployFailure.SERVICE_DISABLED,
            "service "
                + service
                + " of "
                + app
                + " is disabled on host "
                + host()
                + "; enable it first");
      }
      if (snapshot.running().isPresent()) {
        Optional<CheckResult> result = supervisor.checkNow(app, service, heartbeat);
        if (result.isPresent() && result.get().passed()) {
          return supervisor.status(app, service).orElseThrow();
        }
        lastOutput = result.map(CheckResult::output).orElse(lastOutput);
      } else if (!snapshot.restartPending() && !"running".equals(snapshot.state())) {
        // Gone, and the supervisor will not bring it back by itself.
        throw exited(app, service, snapshot);
      }
      heartbeat.details(service + ": " + lastOutput);
      heartbeat.run();
      if (Instant.now().isAfter(deadline)) {
        throw ApplicationFailures.permanent(
            DeployFailure.SERVICE_UNHEALTHY,
            "service "
                + service
                + " of "
                + app
                + " on host "
                + host()
                + " did not pass its health check within "
                + request.deadlineMillis()
                + " ms: "
                + lastOutput);
      }
      sleep();
    }
  }

  private Supervisor.Snapshot snapshot(String app, String service) {
    return supervisor
        .snapshot(app, service)
        .orElseThrow(
            () ->
                ApplicationFailures.permanent(
                    DeployFailure.SERVICE_NOT_FOUND,
                    "service " + service + " of " + app + " is not on host " + host()));
  }

  private RuntimeException exited(String app, String service, Supervisor.Snapshot snapshot) {
    String how = snapshot.lastExit() == null ? "is " + snapshot.state() : snapshot.lastExit();
    var log = supervisor.logFile(app, service);
    return ApplicationFailures.permanent(
        DeployFailure.SERVICE_EXITED,
        "service "
            + service
            + " of "
            + app
            + " on host "
            + host()
            + " "
            + how
            + "; last lines of "
            + log.getFileName()
            + ":\n"
            + LogTail.lastLines(log));
  }

  private String host() {
    return settings.hostName();
  }

  private static void check(String app, String service) {
    PathNames.app(app);
    PathNames.service(service);
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for health", e);
    }
  }
}
