package dev.cast.activities.supervisor;

import static dev.cast.activities.supervisor.Services.recordsStarts;
import static dev.cast.activities.supervisor.Services.starts;
import static dev.cast.activities.supervisor.Services.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.Procs;
import dev.cast.activities.testing.TestHost;
import dev.cast.workflows.host.ServiceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartPolicyTest {
  @TempDir Path root;
  TestHost host;

  @AfterEach
  void tearDown() throws Exception {
    host.close();
  }

  static SupervisorSettings settings(int crashLoopRestarts) {
    return new SupervisorSettings(
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        crashLoopRestarts,
        Duration.ofSeconds(60),
        1 << 20,
        2);
  }

  @Test
  void restartsACrashedServiceWithGrowingBackoff() throws Exception {
    host = new TestHost(root, settings(10));

    host.deploy("hello", "v1", web(recordsStarts(1), "restart: on-failure"));

    Procs.await(() -> starts(host, "v1").size() >= 5, Services.WAIT, "five starts");
    List<Long> starts = starts(host, "v1");
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < 5; i++) {
      gaps.add(starts.get(i) - starts.get(i - 1));
    }
    assertThat(gaps.get(0)).as("first restart after backoffInitial").isGreaterThanOrEqualTo(100);
    for (int i = 1; i < gaps.size(); i++) {
      assertThat(gaps.get(i)).as("gaps %s grow", gaps).isGreaterThan(gaps.get(i - 1));
    }
    assertThat(gaps.get(3)).as("the fourth restart waits 800 ms").isGreaterThanOrEqualTo(800);
    assertThat(host.status("hello", "web").restarts()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aCrashLoopEndsFailedWithNoMoreStarts() throws Exception {
    host = new TestHost(root, settings(3));

    host.deploy("hello", "v1", web(recordsStarts(2)));

    Services.awaitState(host, "failed");
    int started = starts(host, "v1").size();
    Services.sleep(600);
    assertThat(starts(host, "v1")).hasSize(started);
    assertThat(started).as("the first start and three restarts").isEqualTo(4);
    ServiceStatus status = host.status("hello", "web");
    assertThat(status.pid()).isNull();
    assertThat(status.health()).isEqualTo("critical");
    assertThat(status.healthOutput()).contains("exited with code 2", "gave up after 3 restarts");
  }

  @Test
  void aFailedServiceStartsAgainWhenTold() throws Exception {
    host = new TestHost(root, settings(1));
    host.deploy("hello", "v1", web(recordsStarts(2)));
    Services.awaitState(host, "failed");
    int started = starts(host, "v1").size();

    host.control("hello", "web", "start");

    Procs.await(() -> starts(host, "v1").size() > started, Services.WAIT, "a new start");
  }

  @Test
  void alwaysRestartsAfterACleanExit() throws Exception {
    host = new TestHost(root, settings(10));

    host.deploy("hello", "v1", web(recordsStarts(0), "restart: always"));

    Procs.await(() -> starts(host, "v1").size() >= 3, Services.WAIT, "three starts");
  }

  @Test
  void onFailureLeavesACleanExitStopped() throws Exception {
    host = new TestHost(root, settings(10));

    host.deploy("hello", "v1", web(recordsStarts(0), "restart: on-failure"));

    Services.awaitState(host, "stopped");
    Services.sleep(400);
    assertThat(starts(host, "v1")).hasSize(1);
    assertThat(host.status("hello", "web").healthOutput()).contains("exited with code 0");
  }

  @Test
  void neverDoesNotRestart() throws Exception {
    host = new TestHost(root, settings(10));

    host.deploy("hello", "v1", web(recordsStarts(1), "restart: never"));

    Services.awaitState(host, "stopped");
    Services.sleep(400);
    assertThat(starts(host, "v1")).hasSize(1);
    assertThat(host.status("hello", "web").restarts()).isZero();
  }
}
