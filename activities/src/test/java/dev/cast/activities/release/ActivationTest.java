package dev.cast.activities.release;

import static dev.cast.activities.testing.Failures.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.process.RunRecord;
import dev.cast.activities.testing.HostTest;
import dev.cast.activities.testing.Procs;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.Endpoint;
import dev.cast.workflows.host.ReleaseActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivationTest extends HostTest {
  static final String SLEEPER =
      """
      name: hello
      version: "0"
      services:
        web:
          command: ["sleep", "1000"]
          ports: [http]
          stop: {grace: 5s}
      """;

  @Test
  void swapsCurrentToTheNewReleaseAndPointsPreviousAtTheOldOne() throws Exception {
    Activation first = host.deploy("hello", "v1", SLEEPER);
    RunRecord v1 = host.runRecord("hello", "web");

    Activation second = host.deploy("hello", "v2", SLEEPER);

    AppLayout app = host.app("hello");
    assertThat(Files.isSymbolicLink(app.current())).isTrue();
    assertThat(Files.readSymbolicLink(app.current())).isEqualTo(Path.of("releases", "v2"));
    assertThat(Files.readSymbolicLink(app.previous())).isEqualTo(Path.of("releases", "v1"));
    assertThat(first.previousVersion()).isNull();
    assertThat(second.previousVersion()).isEqualTo("v1");
    assertThat(second.host()).isEqualTo("test-host");
    assertThat(second.address()).isEqualTo("127.0.0.1");
    assertThat(Procs.alive(v1.pid())).isFalse();
    RunRecord v2 = host.runRecord("hello", "web");
    assertThat(v2.version()).isEqualTo("v2");
    assertThat(Procs.alive(v2.pid())).isTrue();
    try (var entries = Files.list(app.dir())) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .as("no temporary links left behind")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  /** Stops only at the end of its grace: time for the workflow to give up on the switch. */
  static final String SLOW_TO_STOP =
      """
      name: hello
      version: "0"
      services:
        web:
          command: ["sh", "-c", "trap '' TERM; while true; do sleep 0.1; done"]
          ports: [http]
          stop: {grace: 2s}
      """;

  @Test
  void aSwitchItsWorkflowGivesUpOnWhileTheOldReleaseStopsBringsTheOldReleaseBack()
      throws Exception {
    host.deploy("hello", "v1", SLOW_TO_STOP);
    long oldPid = host.runRecord("hello", "web").pid();
    host.stage("hello", "v2", SLOW_TO_STOP);

    // The workflow cancels the activity (or closes: its heartbeats then answer "no such
    // activity") while the old service takes its grace to stop.
    Thread cancel =
        new Thread(
            () -> {
              try {
                Thread.sleep(500);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              host.env.requestCancelActivity();
            });
    cancel.start();
    // Heartbeats reach the server (and learn of the cancel) as often as a real switch's do.
    ReleaseActivities switching =
        host.env.newActivityStub(
            ReleaseActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    Throwable thrown =
        catchThrowable(
            () -> switching.activateRelease(new ActivateRequest("d-v2", "hello", "v2", false)));
    cancel.join();

    assertThat(thrown).as("the switch was abandoned").isNotNull();
    AppLayout app = host.app("hello");
    assertThat(Files.readSymbolicLink(app.current())).isEqualTo(Path.of("releases", "v1"));
    RunRecord now = host.runRecord("hello", "web");
    assertThat(now.version()).as("the old release serves again").isEqualTo("v1");
    assertThat(now.pid()).isNotEqualTo(oldPid);
    assertThat(Procs.alive(now.pid())).isTrue();
  }

  @Test
  void activatingTheCurrentReleaseAgainChangesNothing() throws Exception {
    Activation first = host.deploy("hello", "v1", SLEEPER);
    long pid = host.runRecord("hello", "web").pid();

    Activation again = host.activate("hello", "v1");

    assertThat(again).isEqualTo(first);
    assertThat(host.runRecord("hello", "web").pid()).isEqualTo(pid);
    assertThat(Procs.alive(pid)).isTrue();
  }

  @Test
  void restartsServicesOfTheCurrentReleaseThatDied() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    long pid = host.runRecord("hello", "web").pid();
    Procs.killGroup(pid);

    host.activate("hello", "v1");

    RunRecord restarted = host.runRecord("hello", "web");
    assertThat(restarted.pid()).isNotEqualTo(pid);
    assertThat(Procs.alive(restarted.pid())).isTrue();
  }

  @Test
  void servicesLeadTheirOwnProcessGroup() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    long pid = host.runRecord("hello", "web").pid();

    assertThat(Procs.pgid(pid)).isEqualTo(pid);
  }

  @Test
  void givesServicesTheirPortsAndCastVariables() throws Exception {
    String yml =
        """
        name: hello
        version: "0"
        services:
          web:
            command: ["./run.sh"]
            env: {GREETING: hi}
            ports: [http, admin-api]
        """;
    host.stage("hello", "v1", yml, Map.of("run.sh", "#!/bin/sh\nenv > env.out\nexec sleep 1000\n"));

    Activation activation = host.activate("hello", "v1");

    Path envFile = host.app("hello").releaseDir("v1").resolve("env.out");
    Procs.await(() -> Files.exists(envFile), Duration.ofSeconds(10), "env.out");
    Procs.await(() -> read(envFile).contains("CAST_HOST="), Duration.ofSeconds(10), "env");
    int http = port(activation, "http");
    int admin = port(activation, "admin-api");
    assertThat(read(envFile).lines())
        .contains(
            "PORT_HTTP=" + http,
            "PORT_ADMIN_API=" + admin,
            "PORT=" + http,
            "GREETING=hi",
            "CAST_APP=hello",
            "CAST_VERSION=v1",
            "CAST_HOST=test-host");
  }

  @Test
  void keepsPortsAcrossReleasesAndNeverSharesThem() throws Exception {
    String yml =
        """
        name: hello
        version: "0"
        services:
          web:
            command: ["sleep", "1000"]
            ports: [http, admin]
          worker:
            command: ["sleep", "1000"]
            ports: [http]
        """;
    Activation v1 = host.deploy("hello", "v1", yml);
    Activation v2 = host.deploy("hello", "v2", yml);

    assertThat(v2.endpoints()).isEqualTo(v1.endpoints());
    assertThat(v1.endpoints()).hasSize(3);
    assertThat(v1.endpoints().stream().map(Endpoint::port).distinct()).hasSize(3);
    assertThat(host.runRecord("hello", "worker").ports())
        .isEqualTo(Map.of("http", port(v2, "worker", "http")));
  }

  @Test
  void linksSharedPathsToDataThatOutlivesReleases() throws Exception {
    String yml =
        """
        name: hello
        version: "0"
        services:
          web:
            command: ["sleep", "1000"]
        shared: [data]
        """;
    host.stage("hello", "v1", yml, Map.of("data/seed.txt", "seed"));
    host.activate("hello", "v1");
    Files.writeString(host.app("hello").releaseDir("v1").resolve("data/written.txt"), "kept");
    host.stage("hello", "v2", yml, Map.of("data/seed.txt", "new seed"));

    host.activate("hello", "v2");

    Path v2Data = host.app("hello").releaseDir("v2").resolve("data");
    assertThat(Files.readSymbolicLink(v2Data)).isEqualTo(Path.of("../../shared/data"));
    assertThat(v2Data.resolve("written.txt")).hasContent("kept");
    assertThat(v2Data.resolve("seed.txt")).hasContent("seed");
  }

  @Test
  void failsWithServiceStartFailedWhenTheCommandDoesNotExist() throws Exception {
    String yml =
        """
        name: hello
        version: "0"
        services:
          web:
            command: ["no-such-command-here", "--serve"]
        """;
    host.stage("hello", "v1", yml);

    ApplicationFailure failure = applicationFailure(() -> host.activate("hello", "v1"));

    assertThat(failure.getType()).isEqualTo("SERVICE_START_FAILED");
    assertThat(failure.getOriginalMessage()).contains("web", "no-such-command-here");
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void failsWithReleaseNotFoundWhenTheReleaseIsNotStaged() {
    ApplicationFailure failure = applicationFailure(() -> host.activate("hello", "v9"));

    assertThat(failure.getType()).isEqualTo("RELEASE_NOT_FOUND");
  }

  static int port(Activation activation, String portName) {
    return port(activation, "web", portName);
  }

  static int port(Activation activation, String service, String portName) {
    List<Endpoint> endpoints = activation.endpoints();
    return endpoints.stream()
        .filter(e -> e.service().equals(service) && e.portName().equals(portName))
        .findFirst()
        .orElseThrow()
        .port();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
