package dev.cast.api.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The catalog at one moment, immutable: every instance of every service and every node, each with
 * the index of its last change. {@link #next} compares a fresh reading with it: when something
 * differs it takes one new index and stamps what changed with it (the services whose instances were
 * added, changed or removed, and the nodes); when nothing does it returns itself.
 */
public final class CatalogSnapshot {
  /** An instance and its indexes: registration created and changed, checks last changed. */
  public record Instance(
      CatalogEntry entry, long createIndex, long modifyIndex, long checksIndex) {}

  /** A node and its indexes. */
  public record Node(CatalogNode node, long createIndex, long modifyIndex) {}

  private static final Comparator<Instance> ORDER =
      Comparator.comparing((Instance i) -> i.entry().node())
          .thenComparing(i -> i.entry().serviceId());

  private final long index;
  private final long nodesIndex;
  private final Map<String, List<Instance>> services;
  private final Map<String, Long> serviceIndexes;
  private final Map<String, Node> nodes;

  private CatalogSnapshot(
      long index,
      long nodesIndex,
      Map<String, List<Instance>> services,
      Map<String, Long> serviceIndexes,
      Map<String, Node> nodes) {
    this.index = index;
    this.nodesIndex = nodesIndex;
    this.services = services;
    this.serviceIndexes = serviceIndexes;
    this.nodes = nodes;
  }

  public static CatalogSnapshot empty() {
    return new CatalogSnapshot(0, 0, Map.of(), Map.of(), Map.of());
  }

  /** The index of the catalog's last change (at least 1, as Consul never answers 0). */
  public long index() {
    return Math.max(1, index);
  }

  /** The index of the last change to the list of nodes. */
  public long nodesIndex() {
    return Math.max(1, nodesIndex);
  }

  /**
   * The index of the last change to a service's instances (their registration or their checks),
   * removal included; for a name never seen, the catalog's.
   */
  public long serviceIndex(String name) {
    Long at = serviceIndexes.get(name);
    return at == null ? index() : Math.max(1, at);
  }

  /** Every service's instances by name, names in order. */
  public Map<String, List<Instance>> services() {
    return services;
  }

  /** A service's instances, by node then ID; empty when there is no such service. */
  public List<Instance> instances(String name) {
    return services.getOrDefault(name, List.of());
  }

  /** Every node by name, in order. */
  public Collection<Node> nodes() {
    return nodes.values();
  }

  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  /**
   * The catalog as now read; {@code this} when nothing differs. {@code nextIndex} is called once,
   * and only when something changed.
   */
  public CatalogSnapshot next(
      Collection<CatalogNode> readNodes, Collection<CatalogEntry> entries, LongSupplier nextIndex) {
    Stamp stamp = new Stamp(nextIndex);
    Map<String, Instance> before = new HashMap<>();
    services.values().forEach(list -> list.forEach(i -> before.put(i.entry().key(), i)));

    Map<String, List<Instance>> nextServices = new TreeMap<>();
    Map<String, Long> nextIndexes = new HashMap<>(serviceIndexes);
    for (CatalogEntry entry : entries) {
      Instance old = before.remove(entry.key());
      Instance now = instance(entry, old, stamp);
      if (old == null || !old.entry().equals(entry)) {
        nextIndexes.put(entry.service(), stamp.get());
        if (old != null) {
          nextIndexes.put(old.entry().service(), stamp.get());
        }
      }
      nextServices.computeIfAbsent(entry.service(), s -> new ArrayList<>()).add(now);
    }
    for (Instance gone : before.values()) {
      nextIndexes.put(gone.entry().service(), stamp.get());
    }
    nextServices.replaceAll(
        (name, list) -> {
          list.sort(ORDER);
          return List.copyOf(list);
        });

    Map<String, Node> nextNodes = new TreeMap<>();
    boolean nodesChanged = readNodes.size() != nodes.size();
    for (CatalogNode node : readNodes) {
      Node old = nodes.get(node.name());
      if (old != null && old.node().equals(node)) {
        nextNodes.put(node.name(), old);
      } else {
        long at = stamp.get();
        nextNodes.put(node.name(), new Node(node, old == null ? at : old.createIndex(), at));
        nodesChanged = true;
      }
    }
    if (!stamp.taken() && !nodesChanged) {
      return this;
    }
    long at = stamp.get();
    return new CatalogSnapshot(
        at,
        nodesChanged ? at : nodesIndex,
        Collections.unmodifiableMap(nextServices),
        nextIndexes,
        Collections.unmodifiableMap(nextNodes));
  }

  private static Instance instance(CatalogEntry entry, Instance old, Stamp stamp) {
    if (old == null) {
      long at = stamp.get();
      return new Instance(entry, at, at, at);
    }
    if (old.entry().equals(entry)) {
      return old;
    }
    boolean registration = !old.entry().registration().equals(entry.registration());
    boolean checks = !Objects.equals(old.entry().checks(), entry.checks());
    long at = stamp.get();
    return new Instance(
        entry,
        old.createIndex(),
        registration ? at : old.modifyIndex(),
        checks ? at : old.checksIndex());
  }

  /** One index for everything a reading changed, taken at the first change. */
  private static final class Stamp {
    private final LongSupplier source;
    private long taken;

    Stamp(LongSupplier source) {
      this.source = source;
    }

    long get() {
      if (taken == 0) {
        taken = source.getAsLong();
      }
      return taken;
    }

    boolean taken() {
      return taken != 0;
    }
  }
}
