package dev.cast.activities.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceStopperTest {
  @TempDir Path dir;
  final ServiceLauncher launcher = new ServiceLauncher();
  final ServiceStopper stopper = new ServiceStopper(launcher);

  @AfterEach
  void killEverything() {
    Procs.killAllUnder(dir);
  }

  @Test
  void stopsEveryProcessOfTheServiceGroup() throws Exception {
    RunRecord record = start("sh", "-c", "sleep 1000 & sleep 1000 & wait");
    Procs.await(
        () -> Procs.groupMembers(record.pid()).size() == 3,
        Duration.ofSeconds(10),
        "the shell and its two sleeps");

    stopper.stopAll(List.of(target(record, "TERM", Duration.ofSeconds(5))), () -> {});

    assertThat(Procs.groupMembers(record.pid())).isEmpty();
    assertThat(dir.resolve("run.json")).doesNotExist();
  }

  @Test
  void killsAGroupThatIgnoresTheSignalOnceTheGraceHasPassed() throws Exception {
    RunRecord record = start("sh", "-c", "trap '' TERM; while true; do sleep 0.1; done");
    Procs.await(() -> trapSet(record.pid()), Duration.ofSeconds(10), "the TERM trap");

    Instant before = Instant.now();
    stopper.stopAll(List.of(target(record, "TERM", Duration.ofSeconds(1))), () -> {});
    Duration took = Duration.between(before, Instant.now());

    assertThat(Procs.groupMembers(record.pid())).isEmpty();
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(took).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void leavesAProcessAloneWhenItsPidWasReused() throws Exception {
    RunRecord real = start("sleep", "1000");
    RunRecord stale = new RunRecord(real.pid(), Instant.EPOCH.toString(), "v1", Map.of());

    stopper.stopAll(List.of(target(stale, "TERM", Duration.ofSeconds(1))), () -> {});

    assertThat(Procs.alive(real.pid())).isTrue();
    assertThat(dir.resolve("run.json")).doesNotExist();
  }

  @Test
  void stoppingAServiceThatAlreadyExitedIsFine() throws Exception {
    RunRecord record = start("sh", "-c", "exit 3");
    Procs.await(
        () -> launcher.exitInfo(record.pid()).equals("exited with code 3"),
        Duration.ofSeconds(10),
        "exit");

    stopper.stopAll(List.of(target(record, "TERM", Duration.ofSeconds(1))), () -> {});

    assertThat(dir.resolve("run.json")).doesNotExist();
  }

  @Test
  void startsTheServiceAsLeaderOfItsOwnGroupWithItsOutputInTheLog() throws Exception {
    RunRecord record = start("sh", "-c", "echo started; echo oops >&2; exec sleep 1000");

    assertThat(Procs.pgid(record.pid())).isEqualTo(record.pid());
    assertThat(record.alive()).isTrue();
    Procs.await(
        () -> LogTail.lastLines(dir.resolve("web.log")).contains("oops"),
        Duration.ofSeconds(10),
        "output");
    assertThat(LogTail.lastLines(dir.resolve("web.log"))).isEqualTo("started\noops");
  }

  private RunRecord start(String... command) throws Exception {
    Files.createDirectories(dir.resolve("release"));
    return launcher.start(
        new LaunchSpec(
            "web",
            "v1",
            List.of(command),
            dir.resolve("release"),
            System.getenv(),
            Map.of(),
            dir.resolve("web.log"),
            dir.resolve("run.json")));
  }

  private StopTarget target(RunRecord record, String signal, Duration grace) {
    return new StopTarget("web", record, signal, grace, dir.resolve("run.json"));
  }

  /** Whether the shell has installed its TERM trap (SigIgn bit 15 in /proc/pid/status). */
  private static boolean trapSet(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("SigIgn:")) {
          long mask = Long.parseLong(line.substring(7).trim(), 16);
          return (mask & (1L << (15 - 1))) != 0;
        }
      }
    } catch (Exception e) {
      return false;
    }
    return false;
  }
}
