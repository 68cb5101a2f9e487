package dev.cast.api.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.cast.workflows.host.ServiceStatus;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;
  LifecycleEnvironment lifecycle = new LifecycleEnvironment(new MetricRegistry());
  Jdbi jdbi;

  @BeforeEach
  void open() throws Exception {
    jdbi = Database.open(dir.resolve("catalog.db"), lifecycle);
  }

  /** What the api's lifecycle does when it stops. */
  @AfterEach
  void stop() throws Exception {
    for (var managed : lifecycle.getManagedObjects()) {
      ((JettyManaged) managed).getManaged().stop();
    }
  }

  @Test
  void handlesReuseOneConnectionAndTheWalStaysBetweenThem() {
    Connection first = jdbi.withHandle(h -> h.getConnection());
    Connection second = jdbi.withHandle(h -> h.getConnection());

    assertThat(second).isSameAs(first);
    assertThat(dir.resolve("catalog.db-wal")).as("not checkpointed away by a last close").exists();
  }

  @Test
  void jsonColumnsReadBackAsTheirTypesAndSayWhichColumnIsDamaged() {
    HostDao hosts = new HostDao(jdbi);
    hosts.upsert("h-1", "127.0.0.1", "test", null, Map.of("role", "web"), Map.of("cpus", 2), 0);

    HostRow row = hosts.find("h-1").orElseThrow();
    assertThat(row.labels()).containsExactly(Map.entry("role", "web"));
    assertThat(row.facts()).containsExactly(Map.entry("cpus", 2));
    String stored =
        jdbi.withHandle(h -> h.select("SELECT labels FROM hosts").mapTo(String.class).one());
    assertThat(stored).as("stored as JSON text, as before").isEqualTo("{\"role\":\"web\"}");

    jdbi.useHandle(h -> h.execute("UPDATE hosts SET labels = '{not json'"));
    assertThatThrownBy(() -> hosts.find("h-1"))
        .hasMessageContaining("column labels does not hold JSON");
  }

  @Test
  void fiftyAgentsReportingAtOnceAllGetThrough() throws Exception {
    HostDao hosts = new HostDao(jdbi);
    ServiceStatusDao statuses = new ServiceStatusDao(jdbi);
    int agents = 50;
    int reportsEach = 10;
    for (int i = 0; i < agents; i++) {
      hosts.upsert("h-" + i, "127.0.0.1", "test", null, Map.of(), Map.of(), 0);
    }
    ExecutorService pool = Executors.newFixedThreadPool(agents);
    try {
      List<Future<?>> reports = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        String host = "h-" + i;
        reports.add(
            pool.submit(
                () -> {
                  for (int r = 1; r <= reportsEach; r++) {
                    // What PUT /v1/hosts/{name}/services does.
                    assertThat(hosts.find(host)).isPresent();
                    statuses.replace(host, List.of(report(host, r)), r);
                  }
                  return null;
                }));
      }
      for (Future<?> report : reports) {
        report.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    List<ServiceStatusDao.ServiceStatusRow> rows = statuses.forService("app", "web");
    assertThat(rows).hasSize(agents);
    assertThat(rows).allSatisfy(row -> assertThat(row.status().restarts()).isEqualTo(reportsEach));
  }

  @Test
  void aFailedTransactionIsRolledBackAndTheConnectionServesTheNextHandle() {
    HostDao hosts = new HostDao(jdbi);

    assertThatThrownBy(
            () ->
                jdbi.useTransaction(
                    h -> {
                      h.execute(
                          "INSERT INTO hosts (name, address, registered_at, last_seen_at)"
                              + " VALUES ('h-1', '127.0.0.1', 0, 0)");
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");

    assertThat(hosts.find("h-1")).isEmpty();
    hosts.upsert("h-1", "127.0.0.1", "test", null, Map.of(), Map.of(), 0);
    assertThat(hosts.find("h-1")).isPresent();
  }

  @Test
  void stoppingClosesTheConnection() throws Exception {
    Connection open = jdbi.withHandle(h -> h.getConnection());

    stop();

    assertThat(open.isClosed()).isTrue();
    assertThat(Files.exists(dir.resolve("catalog.db-wal"))).as("checkpointed on close").isFalse();
  }

  private static ServiceStatus report(String host, int restarts) {
    return new ServiceStatus(
        host, "app", "web", "1.0.0", "running", 42L, null, restarts, "passing", "", null, true);
  }
}
