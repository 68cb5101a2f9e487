package dev.cast.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.cast.api.db.Database;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.errors.ApiException;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which hosts a deployment or rollback goes to, against a real (empty, temporary) catalog. */
class TargetsTest {
  @TempDir Path dir;
  private final LifecycleEnvironment lifecycle = new LifecycleEnvironment(new MetricRegistry());
  private HostDao hosts;
  private InstanceDao instances;
  private Targets targets;

  @BeforeEach
  void open() throws Exception {
    Jdbi jdbi = Database.open(dir.resolve("catalog.db"), lifecycle);
    hosts = new HostDao(jdbi);
    instances = new InstanceDao(jdbi);
    targets = new Targets(hosts, instances, new ServiceStatusDao(jdbi));
    host("web-1", Map.of("role", "web"));
    host("web-2", Map.of("role", "web"));
    host("db-1", Map.of("role", "db"));
  }

  @AfterEach
  void close() throws Exception {
    for (var managed : lifecycle.getManagedObjects()) {
      ((JettyManaged) managed).getManaged().stop();
    }
  }

  private void host(String name, Map<String, String> labels) {
    hosts.upsert(name, "127.0.0.1", "test", null, labels, Map.of(), 0);
  }

  private static String code(Throwable e) {
    return ((ApiException) e).type();
  }

  @Test
  void everyHostThatIsNotDrainedByDefault() {
    hosts.setDrained("db-1", true);

    assertThat(targets.targets(null, null)).containsExactly("web-1", "web-2");
  }

  @Test
  void aSelectorMatchesLabels() {
    assertThat(targets.targets(null, Map.of("role", "web"))).containsExactly("web-1", "web-2");
    assertThatThrownBy(() -> targets.targets(null, Map.of("role", "cache")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("NO_HOSTS"))
        .hasMessageContaining("matches selector {role=cache}");
  }

  @Test
  void namedHostsMustBeKnownAndNotDrainedAndComeOnce() {
    assertThat(targets.targets(List.of("web-2", "web-1", "web-2"), null))
        .containsExactly("web-2", "web-1");
    assertThatThrownBy(() -> targets.targets(List.of("web-9"), null))
        .satisfies(e -> assertThat(code(e)).isEqualTo("UNKNOWN_HOST"));
    assertThatThrownBy(() -> targets.targets(List.of("web-1"), Map.of("role", "web")))
        .hasMessageContaining("not both");
  }

  @Test
  void eachHostRollsBackToItsOwnPreviousRelease() {
    instances.activate("hello", "web-1", "1.0.0", null, List.of());
    instances.activate("hello", "web-1", "2.0.0", "1.0.0", List.of());
    instances.activate("hello", "web-2", "1.5.0", null, List.of());
    instances.activate("hello", "web-2", "2.0.0", "1.5.0", List.of());

    assertThat(targets.rollbackVersions("hello", null, null))
        .containsExactly(Map.entry("web-1", "1.0.0"), Map.entry("web-2", "1.5.0"));
  }

  @Test
  void aRollbackThatWouldChangeNothingOrHasNowhereToGoIsRefused() {
    instances.activate("hello", "web-1", "1.0.0", null, List.of());

    assertThatThrownBy(() -> targets.rollbackVersions("hello", null, null))
        .satisfies(e -> assertThat(code(e)).isEqualTo("NO_PREVIOUS_RELEASE"));
    assertThatThrownBy(() -> targets.rollbackVersions("hello", "1.0.0", null))
        .satisfies(e -> assertThat(code(e)).isEqualTo("NOTHING_TO_ROLL_BACK"))
        .hasMessageContaining("host web-1 already runs 1.0.0");
    assertThatThrownBy(() -> targets.rollbackVersions("other", null, null))
        .satisfies(e -> assertThat(code(e)).isEqualTo("APP_NOT_DEPLOYED"));
  }
}
