package dev.cast.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.api.db.HostRow;
import dev.cast.api.db.InstanceRow;
import dev.cast.workflows.host.ServiceStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CastInstancesTest {
  private static final long NOW = 1_000_000_000L;
  private static final long DOWN_AFTER = 30_000;
  private static final long REMOVE_AFTER = 120_000;

  private static HostRow host(long lastSeen) {
    return new HostRow(
        "h1", "10.0.0.1", "1", 0, lastSeen, null, Map.of("role", "web"), Map.of(), false);
  }

  private static InstanceRow web() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("http", 8080);
    ports.put("admin", 8081);
    return new InstanceRow("shop", "h1", "1.2.0", "web", "10.0.0.1", ports, "passing", 0);
  }

  private static ServiceStatus status(String version, String state, String health) {
    return new ServiceStatus(
        "h1", "shop", "web", version, state, 1L, null, 0, health, "GET / answered 200", null, true);
  }

  private static CastInstances.Reading read(long lastSeen, ServiceStatus... statuses) {
    return CastInstances.read(
        List.of(host(lastSeen)),
        List.of(web()),
        List.of(statuses),
        NOW,
        0,
        DOWN_AFTER,
        REMOVE_AFTER);
  }

  private static CatalogEntry.Check serviceCheck(CatalogEntry e) {
    return e.checks().stream().filter(CatalogEntry.Check::service).findFirst().orElseThrow();
  }

  @Test
  void namesEachServiceAppDashServiceWithTheHostsAddressAndFirstPort() {
    CatalogEntry e = read(NOW, status("1.2.0", "running", "passing")).entries().get(0);

    assertThat(e.service()).isEqualTo("shop-web");
    assertThat(e.serviceId()).isEqualTo("shop-web-h1");
    assertThat(e.node()).isEqualTo("h1");
    assertThat(e.address()).isEqualTo("10.0.0.1");
    assertThat(e.port()).isEqualTo(8080);
    assertThat(e.tags()).containsExactly("web", "version=1.2.0");
    assertThat(e.meta())
        .containsOnly(
            Map.entry("app", "shop"),
            Map.entry("service", "web"),
            Map.entry("version", "1.2.0"),
            Map.entry("host", "h1"),
            Map.entry("port_http", "8080"),
            Map.entry("port_admin", "8081"));
    assertThat(e.passing()).isTrue();
    assertThat(serviceCheck(e).output()).isEqualTo("GET / answered 200");
  }

  @Test
  void aStoppedServiceIsCritical() {
    CatalogEntry e = read(NOW, status("1.2.0", "stopped", "critical")).entries().get(0);

    assertThat(serviceCheck(e).status()).isEqualTo("critical");
    assertThat(serviceCheck(e).output()).startsWith("stopped");
    assertThat(e.passing()).isFalse();
  }

  @Test
  void anUnknownHealthIsCriticalAsConsulShowsAnUncheckedService() {
    assertThat(
            serviceCheck(read(NOW, status("1.2.0", "running", "unknown")).entries().get(0))
                .status())
        .isEqualTo("critical");
    assertThat(
            serviceCheck(read(NOW, status("1.2.0", "running", "warning")).entries().get(0))
                .status())
        .isEqualTo("warning");
  }

  @Test
  void aReportOfAnotherVersionIsNotThisInstancesHealth() {
    CatalogEntry e = read(NOW, status("1.1.0", "stopped", "critical")).entries().get(0);

    assertThat(serviceCheck(e).status()).isEqualTo("passing"); // as the deployment recorded it
  }

  @Test
  void aSilentHostTurnsCriticalAfterDownAfterThenLeavesAfterRemoveAfter() {
    ServiceStatus ok = status("1.2.0", "running", "passing");
    assertThat(read(NOW - DOWN_AFTER + 1, ok).entries().get(0).passing()).isTrue();
    assertThat(read(NOW - DOWN_AFTER + 1, ok).downHosts()).isEmpty();

    CastInstances.Reading down = read(NOW - DOWN_AFTER, ok);
    CatalogEntry e = down.entries().get(0);
    assertThat(down.downHosts()).containsExactly("h1");
    assertThat(e.checks()).extracting(CatalogEntry.Check::status).containsOnly("critical");
    assertThat(serviceCheck(e).output()).contains("h1");

    assertThat(read(NOW - DOWN_AFTER - REMOVE_AFTER + 1, ok).entries()).hasSize(1);
    CastInstances.Reading gone = read(NOW - DOWN_AFTER - REMOVE_AFTER, ok);
    assertThat(gone.entries()).isEmpty();
    assertThat(gone.nodes()).extracting(CatalogNode::name).containsExactly("h1");
  }

  @Test
  void silenceCountsFromTheApisStartAtTheEarliest() {
    CastInstances.Reading r =
        CastInstances.read(
            List.of(host(0)), List.of(web()), List.of(), NOW, NOW - 1000, DOWN_AFTER, REMOVE_AFTER);

    assertThat(r.downHosts()).isEmpty();
    assertThat(r.entries().get(0).passing()).isTrue();
  }

  @Test
  void anInstanceOfAForgottenHostIsNotInTheCatalog() {
    CastInstances.Reading r =
        CastInstances.read(List.of(), List.of(web()), List.of(), NOW, 0, DOWN_AFTER, REMOVE_AFTER);

    assertThat(r.entries()).isEmpty();
  }
}
