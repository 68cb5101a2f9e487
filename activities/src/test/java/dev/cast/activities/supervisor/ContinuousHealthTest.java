package dev.cast.activities.supervisor;

import static dev.cast.activities.supervisor.Services.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.HostTest;
import dev.cast.activities.testing.Procs;
import dev.cast.workflows.host.ServiceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ContinuousHealthTest extends HostTest {

  @Test
  void goesCriticalAfterFailuresConsecutiveFailedChecksAndBackToPassing() throws Exception {
    Path flag = root.resolve("healthy");
    Files.writeString(flag, "yes");
    List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
    host.supervisor().addListener(seen::add);
    host.deploy(
        "hello",
        "v1",
        web(
            "[\"sleep\", \"1000\"]",
            "health: {command: [\"test\", \"-f\", \""
                + flag
                + "\"], interval: 100ms, failures: 3}"));

    awaitHealth("passing");
    Files.delete(flag);
    awaitHealth("critical");
    Files.writeString(flag, "yes");
    awaitHealth("passing");

    List<String> statuses =
        seen.stream().filter(s -> s.pid() != null).map(ServiceStatus::health).distinct().toList();
    assertThat(statuses).containsSubsequence("unknown", "passing", "warning", "critical");
    List<String> transitions =
        seen.stream().map(ServiceStatus::health).filter(h -> !h.equals("unknown")).toList();
    assertThat(transitions).containsSubsequence("passing", "warning", "critical", "passing");
    ServiceStatus now = host.status("hello", "web");
    assertThat(now.healthOutput()).contains("exited with code 0");
    assertThat(now.healthSince()).isNotNull();
  }

  @Test
  void aServiceWithoutACheckPassesWhileItRunsAndIsCriticalWhenStopped() throws Exception {
    host.deploy("hello", "v1", web("[\"sleep\", \"1000\"]"));

    assertThat(host.status("hello", "web").health()).isEqualTo("passing");

    host.control("hello", "web", "stop");

    assertThat(host.status("hello", "web").health()).isEqualTo("critical");
  }

  @Test
  void listsEveryServiceOnTheHost() throws Exception {
    host.deploy("hello", "v1", web("[\"sleep\", \"1000\"]"));

    assertThat(host.supervisor().statuses())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.host()).isEqualTo("test-host");
              assertThat(s.app()).isEqualTo("hello");
              assertThat(s.service()).isEqualTo("web");
              assertThat(s.version()).isEqualTo("v1");
              assertThat(s.state()).isEqualTo("running");
              assertThat(s.startedAt()).isNotNull();
              assertThat(s.enabled()).isTrue();
            });
  }

  private void awaitHealth(String health) {
    Procs.await(
        () -> health.equals(host.status("hello", "web").health()),
        Services.WAIT,
        "health " + health + " (now " + host.status("hello", "web") + ")");
  }
}
