package dev.cast.activities.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortAllocatorTest {
  static final int FROM = 22000;

  @TempDir Path dir;
  HostDatabase db;
  Jdbi jdbi;

  @BeforeEach
  void open() throws Exception {
    db = HostDatabase.open(dir.resolve("agent.db"));
    jdbi = db.jdbi();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void handsOutTheLowestFreePortsInNameOrder() {
    PortAllocator ports = new PortAllocator(jdbi, FROM, FROM + 9);

    assertThat(ports.allocate("hello", "web", List.of("http", "admin")))
        .containsExactly(Map.entry("http", FROM), Map.entry("admin", FROM + 1));
  }

  @Test
  void aServiceKeepsItsPortsEvenAfterTheDatabaseIsReopened() throws Exception {
    Map<String, Integer> first =
        new PortAllocator(jdbi, FROM, FROM + 9).allocate("hello", "web", List.of("http"));
    try (HostDatabase again = HostDatabase.open(dir.resolve("agent.db"))) {
      PortAllocator reopened = new PortAllocator(again.jdbi(), FROM, FROM + 9);

      assertThat(reopened.allocate("hello", "web", List.of("http"))).isEqualTo(first);
      assertThat(reopened.ports("hello", "web")).isEqualTo(first);
    }
  }

  @Test
  void neverGivesTwoServicesTheSamePort() {
    PortAllocator ports = new PortAllocator(jdbi, FROM, FROM + 9);

    int web = ports.allocate("hello", "web", List.of("http")).get("http");
    int worker = ports.allocate("hello", "worker", List.of("http")).get("http");
    int other = ports.allocate("other", "web", List.of("http")).get("http");

    assertThat(List.of(web, worker, other)).doesNotHaveDuplicates();
  }

  @Test
  void skipsAPortSomethingElseListensOn() throws Exception {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(FROM));
      PortAllocator ports = new PortAllocator(jdbi, FROM, FROM + 9);

      assertThat(ports.allocate("hello", "web", List.of("http"))).containsEntry("http", FROM + 1);
    }
  }

  @Test
  void failsWithPortInUseWhenTheRangeIsExhausted() {
    PortAllocator ports = new PortAllocator(jdbi, FROM, FROM);
    ports.allocate("hello", "web", List.of("http"));

    assertThatThrownBy(() -> ports.allocate("hello", "web", List.of("http", "admin")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("PORT_IN_USE");
              assertThat(f.isNonRetryable()).isTrue();
            });
  }

  @Test
  void releasingAnAppFreesItsPorts() {
    PortAllocator ports = new PortAllocator(jdbi, FROM, FROM + 9);
    ports.allocate("hello", "web", List.of("http"));

    ports.release("hello");

    assertThat(ports.ports("hello", "web")).isEmpty();
    assertThat(ports.allocate("other", "web", List.of("http"))).containsEntry("http", FROM);
  }
}
