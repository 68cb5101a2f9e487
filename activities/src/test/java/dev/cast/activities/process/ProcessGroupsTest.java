package dev.cast.activities.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.Procs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessGroupsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  final List<Long> groups = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    groups.forEach(Procs::killGroup);
  }

  @Test
  void signalsWithoutForkingWhereTheCLibraryCanBeCalled() {
    // The agent's hosts (Linux x86-64 and aarch64) take the fast path; the tests below cover it.
    assertThat(Libc.AVAILABLE).isTrue();
  }

  @Test
  void aGroupWhoseLeaderExitedIsAliveWhileAStrayRunsAndGoneAfterTheSignal() throws Exception {
    long pgid = startGroupLeavingAStray();

    assertThat(Procs.alive(pgid)).as("leader").isFalse();
    assertThat(Procs.groupMembers(pgid)).hasSize(1);
    assertThat(ProcessGroups.groupAlive(pgid)).isTrue();

    ProcessGroups.signal(pgid, "TERM");

    assertThat(ProcessGroups.awaitGone(pgid, WAIT, () -> {})).isTrue();
    assertThat(Procs.groupMembers(pgid)).isEmpty();
    assertThat(ProcessGroups.groupAlive(pgid)).isFalse();
  }

  @Test
  void aRunningLeaderKeepsItsGroupAliveUntilKilled() throws Exception {
    Process leader = start("exec sleep 1000");

    assertThat(ProcessGroups.groupAlive(leader.pid())).isTrue();

    ProcessGroups.kill(leader.pid(), () -> {});

    assertThat(Procs.groupMembers(leader.pid())).isEmpty();
    assertThat(ProcessGroups.groupAlive(leader.pid())).isFalse();
    assertThat(leader.waitFor()).isEqualTo(128 + 9);
  }

  @Test
  void signallingAGoneGroupIsFine() throws Exception {
    Process leader = start("exit 0");
    leader.waitFor();
    Procs.await(() -> Procs.groupMembers(leader.pid()).isEmpty(), WAIT, "the group gone");

    ProcessGroups.signal(leader.pid(), "TERM");

    assertThat(ProcessGroups.groupAlive(leader.pid())).isFalse();
  }

  @Test
  void withoutTheCLibraryTheKillCommandAndProcDoTheSame() throws Exception {
    long pgid = startGroupLeavingAStray();

    assertThat(ProcessGroups.anyRunningMember(pgid)).isTrue();

    ProcessGroups.signalWithCommand(pgid, "TERM");

    Procs.await(() -> !ProcessGroups.anyRunningMember(pgid), WAIT, "the group gone");
    assertThat(Procs.groupMembers(pgid)).isEmpty();
  }

  /** A group whose leader exits at once, leaving a sleep behind; returns the group id. */
  private long startGroupLeavingAStray() throws Exception {
    Process leader = start("sleep 1000 & exit 0");
    assertThat(leader.waitFor()).isZero();
    Procs.await(() -> Procs.groupMembers(leader.pid()).size() == 1, WAIT, "the stray in the group");
    return leader.pid();
  }

  private Process start(String script) throws Exception {
    Process process =
        GroupCommand.builder(List.of("sh", "-c", script), dir, Map.of("PATH", "/usr/bin:/bin"))
            .start();
    groups.add(process.pid());
    ProcessGroups.awaitLeader(process);
    return process;
  }
}
