package dev.cast.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.cast.api.db.Database;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.ReleaseDao;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog over a real catalog database: what a host going down ends, what a restart keeps. */
class CatalogTest {
  @TempDir Path dir;
  final AtomicLong clock = new AtomicLong(1_000_000);
  LifecycleEnvironment lifecycle;
  Jdbi jdbi;
  Registry registry;
  Catalog catalog;

  @BeforeEach
  void open() throws Exception {
    start();
  }

  private void start() throws Exception {
    lifecycle = new LifecycleEnvironment(new MetricRegistry());
    jdbi = Database.open(dir.resolve("catalog.db"), lifecycle);
    registry = new Registry(jdbi, new Blocking());
    registry.start();
    catalog =
        new Catalog(
            jdbi,
            new HostDao(jdbi),
            new ReleaseDao(jdbi),
            registry,
            Jackson.newObjectMapper(),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            clock::get);
    catalog.start();
  }

  @AfterEach
  void stop() throws Exception {
    catalog.stop();
    registry.stop();
    for (var managed : lifecycle.getManagedObjects()) {
      ((JettyManaged) managed).getManaged().stop();
    }
  }

  @Test
  void aHostGoingDownEndsTheSessionsBoundToItAndNoOthers() throws Exception {
    new HostDao(jdbi).upsert("web-1", "10.0.0.1", "1", null, Map.of(), Map.of(), clock.get());
    new HostDao(jdbi).upsert("web-2", "10.0.0.2", "1", null, Map.of(), Map.of(), clock.get());
    RegistrySession bound = registry.createSession("s1", "s1", "web-1", 0, "release", 0).get();
    RegistrySession other = registry.createSession("s2", "s2", "web-2", 0, "release", 0).get();
    assertThat(
            registry
                .txn(
                    List.of(
                        new KvOp(KvOp.Verb.LOCK, "leader", "web-1".getBytes(), null, null, "s1")))
                .get()
                .ok())
        .isTrue();
    clock.addAndGet(20_000);
    new HostDao(jdbi).upsert("web-2", "10.0.0.2", "1", null, Map.of(), Map.of(), clock.get());
    catalog.refreshNow();
    assertThat(registry.session(bound.id()).body()).isPresent();

    clock.addAndGet(15_000); // web-1 silent for 35 s, web-2 for 15 s
    catalog.refreshNow();
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (registry.session(bound.id()).body().isPresent() && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(registry.session(bound.id()).body()).isEmpty();
    assertThat(registry.get("leader").body().session()).isNull();
    assertThat(registry.session(other.id()).body()).isPresent();
  }

  @Test
  void servicesRegisteredFromOutsideAreThereAfterARestart() throws Exception {
    catalog.register(
        new ExternalService(
            "db-1", "10.0.0.9", "pg-main", "pg", "", 5432, List.of("primary"), Map.of("v", "16")));
    assertThat(catalog.snapshot().instances("pg")).hasSize(1);
    stop();
    start();
    List<CatalogSnapshot.Instance> pg = catalog.snapshot().instances("pg");
    assertThat(pg).hasSize(1);
    assertThat(pg.get(0).toString()).contains("pg-main").contains("5432").contains("primary");
  }
}
