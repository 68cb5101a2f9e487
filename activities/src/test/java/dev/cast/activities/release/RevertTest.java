package dev.cast.activities.release;

import static dev.cast.activities.testing.Failures.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.process.RunRecord;
import dev.cast.activities.testing.HostTest;
import dev.cast.activities.testing.Procs;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.RevertRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RevertTest extends HostTest {
  static final String UNHEALTHY =
      """
      name: hello
      version: "0"
      services:
        web:
          command: ["sleep", "1000"]
          health: {command: ["false"]}
          stop: {grace: 5s}
      """;

  void revert(String failed, String previous) {
    host.activities.revertRelease(new RevertRequest("d-1", "hello", failed, previous));
  }

  @Test
  void putsThePreviousLinkBackToTheReleaseBeforeTheFailedSwitch() throws Exception {
    host.deploy("hello", "v0", ActivationTest.SLEEPER);
    host.deploy("hello", "v1", ActivationTest.SLEEPER);
    host.deploy("hello", "v2", UNHEALTHY);

    revert("v2", "v1");

    assertThat(Files.readSymbolicLink(host.app("hello").current()))
        .isEqualTo(Path.of("releases", "v1"));
    assertThat(Files.readSymbolicLink(host.app("hello").previous()))
        .as("a rollback after the failed deploy goes to v0, never to the failed v2")
        .isEqualTo(Path.of("releases", "v0"));
  }

  @Test
  void putsThePreviousReleaseBackAfterAFailedActivation() throws Exception {
    host.deploy("hello", "v1", ActivationTest.SLEEPER);
    host.deploy("hello", "v2", UNHEALTHY);
    long failedPid = host.runRecord("hello", "web").pid();
    applicationFailure(() -> host.activities.awaitHealthy(new HealthRequest("hello", "v2", 300)));

    revert("v2", "v1");

    assertThat(Procs.groupMembers(failedPid)).isEmpty();
    assertThat(host.app("hello").previous())
        .as("v1 was the first release: the failed v2 must not become a rollback target")
        .doesNotExist();
    assertThat(Files.readSymbolicLink(host.app("hello").current()))
        .isEqualTo(Path.of("releases", "v1"));
    RunRecord running = host.runRecord("hello", "web");
    assertThat(running.version()).isEqualTo("v1");
    assertThat(running.alive()).isTrue();
    assertThat(host.app("hello").releaseDir("v2")).as("kept for inspection").isDirectory();
  }

  @Test
  void keepsThePreviousServicesRunningWhenTheActivationNeverHappened() throws Exception {
    host.deploy("hello", "v1", ActivationTest.SLEEPER);
    RunRecord before = host.runRecord("hello", "web");
    host.stage("hello", "v2", ActivationTest.SLEEPER);

    revert("v2", "v1");

    assertThat(host.runRecord("hello", "web")).isEqualTo(before);
    assertThat(before.alive()).isTrue();
    assertThat(Files.readSymbolicLink(host.app("hello").current()))
        .isEqualTo(Path.of("releases", "v1"));
  }

  @Test
  void restartsThePreviousServicesWhenTheyAreNotRunning() throws Exception {
    host.deploy("hello", "v1", ActivationTest.SLEEPER);
    long pid = host.runRecord("hello", "web").pid();
    Procs.killGroup(pid);

    revert("v2", "v1");

    RunRecord running = host.runRecord("hello", "web");
    assertThat(running.pid()).isNotEqualTo(pid);
    assertThat(running.alive()).isTrue();
  }

  @Test
  void leavesTheAppStoppedWithoutCurrentWhenThereWasNoPreviousRelease() throws Exception {
    host.deploy("hello", "v1", ActivationTest.SLEEPER);
    long pid = host.runRecord("hello", "web").pid();

    revert("v1", null);

    assertThat(Procs.groupMembers(pid)).isEmpty();
    assertThat(host.app("hello").current()).doesNotExist();
    assertThat(host.app("hello").runFile("web")).doesNotExist();
    assertThat(host.app("hello").releaseDir("v1")).isDirectory();
  }
}
