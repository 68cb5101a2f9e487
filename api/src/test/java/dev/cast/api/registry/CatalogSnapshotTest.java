package dev.cast.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CatalogSnapshotTest {
  private final AtomicLong index = new AtomicLong(10);
  private final AtomicLong taken = new AtomicLong();

  private long nextIndex() {
    taken.incrementAndGet();
    return index.incrementAndGet();
  }

  private static final CatalogNode HOST = new CatalogNode("h1", "10.0.0.1", Map.of(), false);

  private static CatalogEntry entry(String service, int port, String status) {
    return new CatalogEntry(
        "h1",
        "10.0.0.1",
        service + "-h1",
        service,
        "10.0.0.1",
        port,
        List.of("web"),
        Map.of("app", "shop"),
        List.of(new CatalogEntry.Check("service:" + service, "check", status, "", true)));
  }

  private CatalogSnapshot first() {
    return CatalogSnapshot.empty()
        .next(
            List.of(HOST),
            List.of(entry("shop-web", 8080, "passing"), entry("shop-api", 9090, "passing")),
            this::nextIndex);
  }

  @Test
  void aReadingThatChangesNothingKeepsTheSnapshotAndTakesNoIndex() {
    CatalogSnapshot s = first();
    long before = taken.get();

    CatalogSnapshot again =
        s.next(
            List.of(new CatalogNode("h1", "10.0.0.1", Map.of(), false)),
            List.of(entry("shop-api", 9090, "passing"), entry("shop-web", 8080, "passing")),
            this::nextIndex);

    assertThat(again).isSameAs(s);
    assertThat(taken.get()).isEqualTo(before);
  }

  @Test
  void aChangeTakesOneIndexAndMovesOnlyTheServiceItTouched() {
    CatalogSnapshot s = first();
    long api = s.serviceIndex("shop-api");

    CatalogSnapshot next =
        s.next(
            List.of(HOST),
            List.of(entry("shop-web", 8080, "critical"), entry("shop-api", 9090, "passing")),
            this::nextIndex);

    assertThat(taken.get()).isEqualTo(2);
    assertThat(next.index()).isEqualTo(12);
    assertThat(next.serviceIndex("shop-web")).isEqualTo(12);
    assertThat(next.serviceIndex("shop-api")).isEqualTo(api).isEqualTo(11);
    assertThat(next.nodesIndex()).isEqualTo(11);
  }

  @Test
  void aCheckChangeMovesTheChecksIndexButNotTheRegistration() {
    CatalogSnapshot next =
        first()
            .next(
                List.of(HOST),
                List.of(entry("shop-web", 8080, "critical"), entry("shop-api", 9090, "passing")),
                this::nextIndex);

    CatalogSnapshot.Instance web = next.instances("shop-web").get(0);
    assertThat(web.createIndex()).isEqualTo(11);
    assertThat(web.modifyIndex()).isEqualTo(11);
    assertThat(web.checksIndex()).isEqualTo(12);

    CatalogSnapshot moved =
        next.next(
            List.of(HOST),
            List.of(entry("shop-web", 8081, "critical"), entry("shop-api", 9090, "passing")),
            this::nextIndex);
    assertThat(moved.instances("shop-web").get(0).modifyIndex()).isEqualTo(13);
    assertThat(moved.instances("shop-web").get(0).checksIndex()).isEqualTo(12);
  }

  @Test
  void aRemovedServiceKeepsAnIndexThatMovedSoItsWatchersWake() {
    CatalogSnapshot next =
        first().next(List.of(HOST), List.of(entry("shop-api", 9090, "passing")), this::nextIndex);

    assertThat(next.instances("shop-web")).isEmpty();
    assertThat(next.services()).containsOnlyKeys("shop-api");
    assertThat(next.serviceIndex("shop-web")).isEqualTo(12);
    assertThat(next.serviceIndex("shop-api")).isEqualTo(11);
    assertThat(next.serviceIndex("never-seen")).isEqualTo(next.index());
  }

  @Test
  void aNewNodeMovesTheNodesIndexAndTheCatalogs() {
    CatalogSnapshot s = first();
    List<CatalogNode> nodes = new ArrayList<>(List.of(HOST));
    nodes.add(new CatalogNode("db1", "10.0.0.9", Map.of(), true));

    CatalogSnapshot next =
        s.next(
            nodes,
            List.of(entry("shop-web", 8080, "passing"), entry("shop-api", 9090, "passing")),
            this::nextIndex);

    assertThat(next.nodesIndex()).isEqualTo(12);
    assertThat(next.index()).isEqualTo(12);
    assertThat(next.serviceIndex("shop-web")).isEqualTo(11);
    assertThat(next.nodes()).extracting(n -> n.node().name()).containsExactly("db1", "h1");
    assertThat(next.node("h1").orElseThrow().modifyIndex()).isEqualTo(11);
  }

  @Test
  void instancesAreOrderedByNodeThenId() {
    CatalogEntry b =
        new CatalogEntry("b", "10.0.0.2", "x-b", "x", "", 1, List.of(), Map.of(), List.of());
    CatalogEntry a =
        new CatalogEntry("a", "10.0.0.3", "x-a", "x", "", 1, List.of(), Map.of(), List.of());

    CatalogSnapshot s = CatalogSnapshot.empty().next(List.of(), List.of(b, a), this::nextIndex);

    assertThat(s.instances("x")).extracting(i -> i.entry().node()).containsExactly("a", "b");
  }
}
