package dev.cast.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.db.Database;
import dev.cast.api.db.ReleaseDao;
import dev.cast.api.errors.ApiException;
import dev.cast.bundle.BundleInspector;
import dev.cast.bundle.BundlePacker;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseStoreTest {
  private static final String MANIFEST =
      "name: hello\nversion: %s\nservices:\n  web:\n    command: [sleep, '100']\n";

  @TempDir Path dir;
  private final LifecycleEnvironment lifecycle = new LifecycleEnvironment(new MetricRegistry());
  private ReleaseDao dao;

  @BeforeEach
  void open() throws Exception {
    Jdbi jdbi = Database.open(dir.resolve("catalog.db"), lifecycle);
    dao = new ReleaseDao(jdbi);
  }

  @AfterEach
  void stop() throws Exception {
    for (var managed : lifecycle.getManagedObjects()) {
      ((JettyManaged) managed).getManaged().stop();
    }
  }

  private byte[] bundle(String version, int extraFiles) throws Exception {
    Path source = Files.createDirectories(dir.resolve("src-" + version + "-" + extraFiles));
    Files.writeString(source.resolve("cast.yml"), MANIFEST.formatted(version));
    for (int i = 0; i < extraFiles; i++) {
      Files.writeString(source.resolve("f" + i), "");
    }
    Path out = dir.resolve(version + "-" + extraFiles + ".tar.gz");
    BundlePacker.pack(source, out, null);
    return Files.readAllBytes(out);
  }

  /** A bundle of just this cast.yml, written without the packer's checks. */
  private static byte[] rawBundle(String manifest) throws Exception {
    byte[] content = manifest.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      var entry = new TarArchiveEntry("cast.yml");
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private ReleaseStore store(int maxEntries, int maxInspections, ReleaseStore.Inspector inspector)
      throws Exception {
    return new ReleaseStore(
        dir.resolve("bundles"),
        10L << 20,
        maxEntries,
        maxInspections,
        dao,
        new ObjectMapper(),
        0,
        inspector);
  }

  private String[] stored() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("bundles"))) {
      return files.map(p -> p.getFileName().toString()).toArray(String[]::new);
    }
  }

  private static byte[] app(String name, String service) throws Exception {
    return rawBundle(
        "name: " + name + "\nversion: 1.0.0\nservices:\n  " + service + ":\n    command: [x]\n");
  }

  @Test
  void refusesAPushWhoseRegistryNameClashesWithAnotherAppsService() throws Exception {
    ReleaseStore store = store(100, 2, BundleInspector::inspect);
    store.push("a-b", new ByteArrayInputStream(app("a-b", "c")));

    assertThatThrownBy(() -> store.push("a", new ByteArrayInputStream(app("a", "b-c"))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.type()).isEqualTo("SERVICE_NAME_CLASH");
            })
        .hasMessageContaining("app \"a\"")
        .hasMessageContaining("app \"a-b\"")
        .hasMessageContaining("\"a-b-c\"");
    assertThat(dao.appExists("a")).isFalse();
    assertThat(stored()).hasSize(1);
    // The same app may push again: its own services are no clash.
    assertThat(store.push("a-b", new ByteArrayInputStream(app("a-b", "c"))).created()).isFalse();
  }

  @Test
  void refusesAPushWhoseRegistryNameIsAServiceRegisteredFromOutside() throws Exception {
    ReleaseStore store = store(100, 2, BundleInspector::inspect);
    Database.open(dir.resolve("catalog.db"), lifecycle)
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO registry_services (node, address, service_id, service,"
                        + " create_index, modify_index) VALUES ('db1', '10.0.0.9', 'pg', 'shop-db',"
                        + " 1, 1)"));

    assertThatThrownBy(() -> store.push("shop", new ByteArrayInputStream(app("shop", "db"))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("node \"db1\"");
    assertThat(dao.appExists("shop")).isFalse();
  }

  @Test
  void refusesABundleWithMoreEntriesThanBundlesMaxEntries() throws Exception {
    ReleaseStore store = store(10, 2, BundleInspector::inspect);
    byte[] many = bundle("1.0.0", 10);

    assertThatThrownBy(() -> store.push("hello", new ByteArrayInputStream(many)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.type()).isEqualTo("INVALID_BUNDLE");
            })
        .hasMessageContaining("a bundle may have at most 10 entries")
        .hasMessageContaining("(bundles.maxEntries in config.yml)");
    assertThat(stored()).isEmpty();
    assertThat(store.push("hello", new ByteArrayInputStream(bundle("1.0.1", 5))).created())
        .isTrue();
  }

  @Test
  void refusesAPushWith429WhileTheInspectionsAreBusy() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ReleaseStore store =
        store(
            100,
            1,
            (file, maxBytes, maxEntries) -> {
              inside.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return BundleInspector.inspect(file, maxBytes, maxEntries);
            });
    byte[] first = bundle("1.0.0", 0);
    CompletableFuture<ReleaseStore.Pushed> busy =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return store.push("hello", new ByteArrayInputStream(first));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

    byte[] second = bundle("2.0.0", 0);
    assertThatThrownBy(() -> store.push("hello", new ByteArrayInputStream(second)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.type()).isEqualTo("TOO_MANY_PUSHES");
              assertThat(e.retryAfterSeconds()).isEqualTo(5);
            })
        .hasMessageContaining("bundles.maxConcurrentInspections");

    release.countDown();
    assertThat(busy.get(30, TimeUnit.SECONDS).created()).isTrue();
    assertThat(store.push("hello", new ByteArrayInputStream(second)).created()).isTrue();
    assertThat(stored()).hasSize(2);
  }

  @Test
  void refusesAVersionStartingWithADot() throws Exception {
    ReleaseStore store = store(100, 2, BundleInspector::inspect);
    byte[] hidden = rawBundle(MANIFEST.formatted(".hidden"));

    assertThatThrownBy(() -> store.push("hello", new ByteArrayInputStream(hidden)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("\".hidden\" is not a valid version: it must not start with '.'");
  }
}
