package dev.cast.activities.supervisor;

import static dev.cast.activities.supervisor.Services.web;
import static dev.cast.activities.testing.Failures.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.ports.HostDatabase;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.testing.HostTest;
import dev.cast.activities.testing.Procs;
import dev.cast.activities.testing.TestHost;
import dev.cast.workflows.host.ServiceHealthRequest;
import dev.cast.workflows.host.ServiceStatus;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceActivitiesTest extends HostTest {
  static final String SLEEPER = web("[\"sleep\", \"1000\"]", "ports: [http]");

  ServiceStatus awaitHealthy(long deadlineMillis) {
    return host.services.awaitServiceHealthy(
        new ServiceHealthRequest("hello", "web", deadlineMillis));
  }

  @Test
  void restartBringsANewProcessBackQuickly() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    long before = Services.pid(host);
    host.control("hello", "web", "restart"); // warm up the test environment's code paths
    long warm = Services.pid(host);

    long started = System.nanoTime();
    ServiceStatus restarted = host.control("hello", "web", "restart");
    ServiceStatus healthy = awaitHealthy(10_000);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(restarted.state()).isEqualTo("running");
    assertThat(restarted.restarts()).isZero();
    assertThat(healthy.pid()).isNotIn(before, warm);
    assertThat(Procs.groupMembers(warm)).isEmpty();
    assertThat(healthy.health()).isEqualTo("passing");
    assertThat(took).as("restart and health wait took %s", took).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void startAndStopAreIdempotent() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    long pid = Services.pid(host);

    assertThat(host.control("hello", "web", "start").pid()).isEqualTo(pid);
    assertThat(host.control("hello", "web", "stop").state()).isEqualTo("stopped");
    assertThat(host.control("hello", "web", "stop").state()).isEqualTo("stopped");
    ServiceStatus started = host.control("hello", "web", "start");
    assertThat(started.state()).isEqualTo("running");
    assertThat(Procs.alive(started.pid())).isTrue();
  }

  @Test
  void unknownAppsAndServicesAreServiceNotFoundNamingThem() throws Exception {
    host.deploy("hello", "v1", SLEEPER);

    ApplicationFailure app = applicationFailure(() -> host.control("ghost", "web", "restart"));
    ApplicationFailure service = applicationFailure(() -> host.control("hello", "nope", "restart"));

    assertThat(app.getType()).isEqualTo("SERVICE_NOT_FOUND");
    assertThat(app.isNonRetryable()).isTrue();
    assertThat(app.getOriginalMessage()).contains("ghost");
    assertThat(service.getType()).isEqualTo("SERVICE_NOT_FOUND");
    assertThat(service.getOriginalMessage()).contains("nope", "hello");
  }

  @Test
  void aDisabledServiceRefusesStartAndRestartUntilEnabled() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    ServiceStatus disabled = host.control("hello", "web", "disable");

    ApplicationFailure start = applicationFailure(() -> host.control("hello", "web", "start"));
    ApplicationFailure restart = applicationFailure(() -> host.control("hello", "web", "restart"));

    assertThat(disabled.state()).isEqualTo("disabled");
    assertThat(disabled.enabled()).isFalse();
    assertThat(start.getType()).isEqualTo("SERVICE_DISABLED");
    assertThat(start.getOriginalMessage()).contains("web", "disabled", "enable it first");
    assertThat(restart.getType()).isEqualTo("SERVICE_DISABLED");
    assertThat(host.control("hello", "web", "enable").state()).isEqualTo("running");
  }

  @Test
  void awaitingAServiceThatExitedForGoodFailsFast() throws Exception {
    host.deploy(
        "hello",
        "v1",
        web("[\"sh\", \"-c\", \"echo cannot open database; exit 3\"]", "restart: never"));
    Services.awaitState(host, "stopped");

    ApplicationFailure failure = applicationFailure(() -> awaitHealthy(60_000));

    assertThat(failure.getType()).isEqualTo("SERVICE_EXITED");
    assertThat(failure.getOriginalMessage()).contains("exited with code 3", "cannot open database");
  }

  @Test
  void awaitingAnUnhealthyServiceFailsAtTheDeadline() throws Exception {
    host.deploy(
        "hello",
        "v1",
        web(
            "[\"sleep\", \"1000\"]",
            "health: {command: [\"sh\", \"-c\", \"echo not yet; exit 1\"]}"));

    ApplicationFailure failure = applicationFailure(() -> awaitHealthy(500));

    assertThat(failure.getType()).isEqualTo("SERVICE_UNHEALTHY");
    assertThat(failure.getOriginalMessage()).contains("web", "not yet");
  }

  @Test
  void movesToAnotherPortWhenAForeignProcessTookItsPort() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    int port = host.runRecord("hello", "web").ports().get("http");
    host.control("hello", "web", "stop");

    try (ServerSocket foreign = new ServerSocket()) {
      foreign.bind(new InetSocketAddress(port));
      host.control("hello", "web", "start");
    }

    int moved = host.runRecord("hello", "web").ports().get("http");
    assertThat(moved).isNotEqualTo(port);
    try (HostDatabase db = HostDatabase.open(host.settings.layout().databaseFile())) {
      PortAllocator ports = new PortAllocator(db.jdbi(), TestHost.PORT_FROM, TestHost.PORT_TO);
      assertThat(ports.ports("hello", "web")).containsEntry("http", moved);
    }
  }
}
