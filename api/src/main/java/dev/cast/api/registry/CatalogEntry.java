package dev.cast.api.registry;

import java.util.List;
import java.util.Map;

/**
 * One instance of a service in the catalog: the node it runs on, where it answers, and its checks
 * (none for a service Cast did not deploy: those count as passing).
 */
public record CatalogEntry(
    String node,
    String nodeAddress,
    String serviceId,
    String service,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta,
    List<Check> checks) {

  public static final String PASSING = "passing";
  public static final String WARNING = "warning";
  public static final String CRITICAL = "critical";

  public CatalogEntry {
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
    checks = List.copyOf(checks);
  }

  /** A check of the instance; {@code service} false for a check of its node (serfHealth). */
  public record Check(String id, String name, String status, String output, boolean service) {}

  /** The same instance without its checks: what its registration (ModifyIndex) covers. */
  CatalogEntry registration() {
    return checks.isEmpty() ? this : withChecks(List.of());
  }

  CatalogEntry withChecks(List<Check> newChecks) {
    return new CatalogEntry(
        node, nodeAddress, serviceId, service, address, port, tags, meta, newChecks);
  }

  /** Whether every check passes (Consul's {@code ?passing}). */
  public boolean passing() {
    return checks.stream().allMatch(c -> PASSING.equals(c.status()));
  }

  /** The key of the instance in the catalog: one service ID per node. */
  String key() {
    return node + '\0' + serviceId;
  }
}
