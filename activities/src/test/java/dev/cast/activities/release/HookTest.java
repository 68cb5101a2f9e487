package dev.cast.activities.release;

import static dev.cast.activities.testing.Failures.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.process.RunRecord;
import dev.cast.activities.testing.HostTest;
import dev.cast.activities.testing.Procs;
import dev.cast.workflows.host.HookRequest;
import dev.cast.workflows.host.SwitchRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookTest extends HostTest {

  static String withPreActivate(String command, String timeout) {
    return """
        name: hello
        version: "0"
        services:
          web:
            command: ["sleep", "1000"]
        hooks:
          pre_activate:
            command: %s
            timeout: %s
        """
        .formatted(command, timeout);
  }

  @Test
  void failedPreActivateLeavesTheOldReleaseServing() throws Exception {
    host.deploy("hello", "v1", ActivationTest.SLEEPER);
    RunRecord old = host.runRecord("hello", "web");
    host.stage(
        "hello",
        "v2",
        withPreActivate("[\"sh\", \"-c\", \"echo migrating; echo disk full >&2; exit 3\"]", "10s"));

    ApplicationFailure failure = applicationFailure(() -> host.activate("hello", "v2"));

    assertThat(failure.getType()).isEqualTo("HOOK_FAILED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("pre_activate", "exited with code 3", "migrating", "disk full");
    assertThat(Files.readSymbolicLink(host.app("hello").current()))
        .isEqualTo(Path.of("releases", "v1"));
    assertThat(host.runRecord("hello", "web")).isEqualTo(old);
    assertThat(old.alive()).isTrue();
  }

  @Test
  void hookPastItsTimeoutFailsAndItsWholeGroupIsKilled() throws Exception {
    host.stage(
        "hello",
        "v1",
        withPreActivate("[\"sh\", \"-c\", \"sleep 1000 & echo $! > hook.pid; sleep 1000\"]", "1s"));
    Path pidFile = host.app("hello").releaseDir("v1").resolve("hook.pid");

    Instant before = Instant.now();
    ApplicationFailure failure = applicationFailure(() -> host.activate("hello", "v1"));

    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(15));
    assertThat(failure.getType()).isEqualTo("HOOK_FAILED");
    assertThat(failure.getOriginalMessage()).contains("timed out after 1s");
    long child = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(Procs.alive(child)).isFalse();
    assertThat(host.app("hello").current()).doesNotExist();
  }

  @Test
  void runsPostActivateInTheReleaseDirWithTheCastVariables() throws Exception {
    String yml =
        """
        name: hello
        version: "0"
        services:
          web:
            command: ["sleep", "1000"]
            ports: [http]
        hooks:
          post_activate:
            command: ["sh", "-c", "echo $CAST_VERSION $PORT_HTTP > post.out"]
        """;
    var activation = host.stage("hello", "v1", yml, Map.of());
    int port = ActivationTest.port(host.activate("hello", "v1"), "http");

    host.activities.runHook(new HookRequest("hello", "v1", "post_activate"));

    assertThat(host.app("hello").releaseDir("v1").resolve("post.out")).hasContent("v1 " + port);
    assertThat(activation.fetched()).isTrue();
  }

  @Test
  void aOneStepSwitchActivatesWaitsForHealthAndRunsPostActivate() throws Exception {
    String yml =
        """
        name: hello
        version: "0"
        services:
          web:
            command: ["sleep", "1000"]
            ports: [http]
            health: {command: ["sh", "-c", "test -e ready || { touch ready; exit 1; }"], interval: 200ms}
        hooks:
          post_activate:
            command: ["sh", "-c", "test -e ready && echo $CAST_VERSION $PORT_HTTP > post.out"]
        """;
    host.stage("hello", "v1", yml, Map.of());

    var activation =
        host.activities.switchRelease(new SwitchRequest("d-1", "hello", "v1", 30_000, true, false));

    int port = ActivationTest.port(activation, "http");
    assertThat(host.app("hello").releaseDir("v1").resolve("post.out")).hasContent("v1 " + port);
    assertThat(Files.readSymbolicLink(host.app("hello").current()))
        .isEqualTo(Path.of("releases", "v1"));
  }

  @Test
  void aOneStepSwitchFailsOnHealthWithoutRunningPostActivate() throws Exception {
    String yml =
        """
        name: hello
        version: "0"
        services:
          web:
            command: ["sleep", "1000"]
            health: {command: ["false"], interval: 200ms}
        hooks:
          post_activate:
            command: ["sh", "-c", "touch post.out"]
        """;
    host.stage("hello", "v1", yml, Map.of());

    ApplicationFailure failure =
        applicationFailure(
            () ->
                host.activities.switchRelease(
                    new SwitchRequest("d-1", "hello", "v1", 1_500, true, false)));

    assertThat(failure.getType()).isEqualTo("SERVICE_UNHEALTHY");
    assertThat(host.app("hello").releaseDir("v1").resolve("post.out")).doesNotExist();
  }

  @Test
  void refusesAnUnknownHook() throws Exception {
    host.deploy("hello", "v1", ActivationTest.SLEEPER);

    ApplicationFailure failure =
        applicationFailure(
            () -> host.activities.runHook(new HookRequest("hello", "v1", "pre_destroy")));

    assertThat(failure.getType()).isEqualTo("INVALID_REQUEST");
  }
}
