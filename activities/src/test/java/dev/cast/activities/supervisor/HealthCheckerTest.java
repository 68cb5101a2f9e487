package dev.cast.activities.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.Procs;
import dev.cast.bundle.HealthSpec;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCheckerTest {
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  @TempDir Path dir;
  final HealthChecker checker = new HealthChecker();

  @AfterEach
  void killEverything() {
    Procs.killAllUnder(dir);
  }

  static HealthSpec tcp() {
    return new HealthSpec(null, new HealthSpec.TcpCheck("http"), null, TIMEOUT, TIMEOUT, 3);
  }

  static HealthSpec command(String... argv) {
    return new HealthSpec(null, null, List.of(argv), TIMEOUT, TIMEOUT, 3);
  }

  CheckResult check(HealthSpec spec, Map<String, Integer> ports) throws Exception {
    return checker.check(spec, ports, dir, System.getenv(), () -> {});
  }

  @Test
  void tcpPassesWhenThePortAcceptsConnections() throws Exception {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));

      CheckResult result = check(tcp(), Map.of("http", socket.getLocalPort()));

      assertThat(result.passed()).isTrue();
    }
  }

  @Test
  void tcpFailsWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    CheckResult result = check(tcp(), Map.of("http", port));

    assertThat(result.passed()).isFalse();
    assertThat(result.output()).startsWith("TCP 127.0.0.1:" + port + " failed");
  }

  @Test
  void commandPassesOnExitZeroAndReportsOutputOtherwise() throws Exception {
    assertThat(check(command("true"), Map.of()).passed()).isTrue();

    CheckResult failed = check(command("sh", "-c", "echo no db; exit 2"), Map.of());

    assertThat(failed.passed()).isFalse();
    assertThat(failed.output()).contains("exited with code 2", "no db");
  }

  @Test
  void whatACommandLeavesBehindIsKilledWhenItExits() throws Exception {
    CheckResult result =
        check(command("sh", "-c", "sleep 1000 & echo $! > stray.pid; exit 0"), Map.of());

    assertThat(result.passed()).isTrue();
    long stray = Long.parseLong(Files.readString(dir.resolve("stray.pid")).strip());
    assertThat(Procs.alive(stray)).isFalse();
  }

  @Test
  void commandPastItsTimeoutFailsAndIsKilled() throws Exception {
    Instant before = Instant.now();

    CheckResult result = check(command("sh", "-c", "echo $$ > check.pid; sleep 1000"), Map.of());

    assertThat(result.passed()).isFalse();
    assertThat(result.output()).contains("timed out after 1s");
    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));
    long pid = Long.parseLong(Files.readString(dir.resolve("check.pid")).strip());
    assertThat(Procs.groupMembers(pid)).isEmpty();
  }
}
