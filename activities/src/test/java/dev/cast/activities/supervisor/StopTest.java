package dev.cast.activities.supervisor;

import static dev.cast.activities.supervisor.Services.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.HostTest;
import dev.cast.activities.testing.Procs;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StopTest extends HostTest {

  @Test
  void stopsAServiceWithEveryChildItForked() throws Exception {
    host.deploy(
        "hello",
        "v1",
        web("[\"sh\", \"-c\", \"sleep 1000 & sleep 1000 & wait\"]", "restart: always"));
    long pgid = Services.pid(host);
    Procs.await(
        () -> Procs.groupMembers(pgid).size() == 5,
        Services.WAIT,
        "wrapper, logger, shell and two sleeps in one group");

    host.control("hello", "web", "stop");

    assertThat(Procs.groupMembers(pgid)).as("nothing of the group is left").isEmpty();
    assertThat(host.status("hello", "web").state()).isEqualTo("stopped");
    Services.sleep(300);
    assertThat(host.status("hello", "web").pid()).as("a deliberate stop is not undone").isNull();
    assertThat(host.app("hello").runFile("web")).doesNotExist();
  }

  @Test
  void killsAGroupThatIgnoresTheStopSignalOnceTheGraceHasPassed() throws Exception {
    host.deploy(
        "hello",
        "v1",
        web(
            "[\"sh\", \"-c\", \"trap '' TERM; while true; do sleep 0.1; done\"]",
            "stop: {grace: 1s}"));
    long pgid = Services.pid(host);
    Services.sleep(200);

    Instant before = Instant.now();
    host.control("hello", "web", "stop");
    Duration took = Duration.between(before, Instant.now());

    assertThat(Procs.groupMembers(pgid)).isEmpty();
    assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(8));
  }

  @Test
  void servicesLeadTheirOwnGroupOutsideTheAgents() throws Exception {
    host.deploy("hello", "v1", web("[\"sleep\", \"1000\"]"));
    long pid = Services.pid(host);

    assertThat(Procs.pgid(pid)).isEqualTo(pid);
    assertThat(Procs.pgid(pid)).isNotEqualTo(Procs.pgid(ProcessHandle.current().pid()));
  }
}
