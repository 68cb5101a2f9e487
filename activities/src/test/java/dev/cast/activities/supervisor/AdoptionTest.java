package dev.cast.activities.supervisor;

import static dev.cast.activities.supervisor.Services.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.HostTest;
import dev.cast.activities.testing.Procs;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.ServiceStatus;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent dies and a new one takes over on the same data dir. */
class AdoptionTest extends HostTest {
  static final String SLEEPER = web("[\"sleep\", \"1000\"]");

  @Test
  void aServiceOutlivesTheAgentAndTheNextAgentAdoptsIt() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    long pid = Services.pid(host);
    // The wrapper forks the service and the logger just after it starts; take the group whole.
    Procs.await(
        () -> Procs.groupMembers(pid).size() == 3, Services.WAIT, "wrapper, service and logger");
    List<Long> group = Procs.groupMembers(pid);

    host.stopAgent();
    Services.sleep(300);
    assertThat(Procs.groupMembers(pid)).as("still serving without an agent").isEqualTo(group);
    host.startAgent();

    ServiceStatus adopted = host.status("hello", "web");
    assertThat(adopted.state()).isEqualTo("running");
    assertThat(adopted.pid()).isEqualTo(pid);
    assertThat(sleepers()).as("exactly one service process, the adopted one").hasSize(1);
    assertThat(Procs.groupMembers(pid)).isEqualTo(group);

    Procs.killGroup(pid);

    Procs.await(
        () -> host.status("hello", "web").pid() != null && host.status("hello", "web").pid() != pid,
        Services.WAIT,
        "the adopted service restarted by the new agent");
    assertThat(host.status("hello", "web").restarts()).isEqualTo(1);
    // The new group's leader is the wrapper; it starts the service a moment later.
    Procs.await(() -> count() == 1, Services.WAIT, "the restarted service process");
    Services.sleep(300);
    assertThat(sleepers()).as("exactly one service process, the restarted one").hasSize(1);
  }

  @Test
  void aServiceThatDiedWhileNoAgentRanIsRestarted() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    long pid = Services.pid(host);
    host.stopAgent();
    Procs.killGroup(pid);

    host.startAgent();

    Procs.await(
        () -> "running".equals(host.status("hello", "web").state()), Services.WAIT, "restarted");
    long restarted = Services.pid(host);
    assertThat(restarted).isNotEqualTo(pid);
    assertThat(Procs.alive(restarted)).isTrue();
    assertThat(host.status("hello", "web").restarts()).isEqualTo(1);
  }

  @Test
  void aDisabledServiceStaysStoppedAcrossAgentsAndDeploysUntilEnabled() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    long pid = Services.pid(host);
    host.control("hello", "web", "disable");
    assertThat(Procs.groupMembers(pid)).isEmpty();

    host.restartAgent();
    assertThat(host.status("hello", "web").state()).isEqualTo("disabled");
    assertThat(host.status("hello", "web").enabled()).isFalse();
    host.deploy("hello", "v2", SLEEPER);
    Services.sleep(300);

    assertThat(host.status("hello", "web").state()).isEqualTo("disabled");
    assertThat(host.status("hello", "web").pid()).isNull();
    assertThat(sleepers()).isEmpty();
    assertThat(host.activities.awaitHealthy(new HealthRequest("hello", "v2", 5_000)).services())
        .as("the deploy's health wait skips the disabled service")
        .isEmpty();

    ServiceStatus enabled = host.control("hello", "web", "enable");

    assertThat(enabled.state()).isEqualTo("running");
    assertThat(enabled.enabled()).isTrue();
    assertThat(enabled.version()).isEqualTo("v2");
    assertThat(Procs.alive(enabled.pid())).isTrue();
  }

  @Test
  void aServiceStoppedOnPurposeStaysStoppedWhenTheAgentRestarts() throws Exception {
    host.deploy("hello", "v1", SLEEPER);
    host.control("hello", "web", "stop");

    host.restartAgent();
    Services.sleep(300);

    assertThat(host.status("hello", "web").state()).isEqualTo("stopped");
    assertThat(sleepers()).isEmpty();
  }

  /** Processes running {@code sleep 1000} below the test's dir. */
  private int count() {
    try {
      return sleepers().size();
    } catch (IOException e) {
      return -1;
    }
  }

  private List<Long> sleepers() throws IOException {
    Path real = root.toRealPath();
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ').strip();
          long pid = Long.parseLong(proc.getFileName().toString());
          if (cmdline.equals("sleep 1000")
              && Files.readSymbolicLink(proc.resolve("cwd")).startsWith(real)
              && Procs.alive(pid)) {
            found.add(pid);
          }
        } catch (IOException | RuntimeException e) {
          // Gone, or not ours to look at.
        }
      }
    }
    return found;
  }
}
