package dev.cast.api.registry;

import dev.cast.api.db.HostRow;
import dev.cast.api.db.InstanceRow;
import dev.cast.workflows.host.ServiceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Cast deploys, as catalog entries: every service of the release current on each host, named
 * {@code <app>-<service>}, with the health its agent last reported. An instance of a host not heard
 * from for {@code downAfter} is critical; {@code removeAfter} later it leaves the catalog (its host
 * stays a node). Silence is counted from the api's start at the earliest: while the api was down it
 * heard from nobody, and agents need a heartbeat to find it again.
 */
final class CastInstances {
  /** The catalog's view of the hosts: nodes, instances, and the hosts that are down. */
  record Reading(List<CatalogNode> nodes, List<CatalogEntry> entries, Set<String> downHosts) {}

  private CastInstances() {}

  /** The Consul name of a service of an app. */
  static String serviceName(String app, String service) {
    return app + "-" + service;
  }

  static Reading read(
      List<HostRow> hosts,
      List<InstanceRow> instances,
      List<ServiceStatus> statuses,
      long now,
      long startedAt,
      long downAfterMillis,
      long removeAfterMillis) {
    Map<String, HostRow> byName = new HashMap<>();
    List<CatalogNode> nodes = new ArrayList<>();
    Set<String> down = new TreeSet<>();
    for (HostRow host : hosts) {
      byName.put(host.name(), host);
      nodes.add(
          new CatalogNode(
              host.name(),
              host.address(),
              host.labels() == null ? Map.of() : host.labels(),
              false));
      if (now - Math.max(host.lastSeenAt(), startedAt) >= downAfterMillis) {
        down.add(host.name());
      }
    }
    Map<String, ServiceStatus> live = new HashMap<>();
    for (ServiceStatus s : statuses) {
      live.put(s.host() + '\0' + s.app() + '\0' + s.service(), s);
    }
    List<CatalogEntry> entries = new ArrayList<>();
    for (InstanceRow row : instances) {
      HostRow host = byName.get(row.host());
      if (host == null) {
        continue; // a host forgotten (DELETE /v1/hosts/x): nothing of it is known
      }
      long silent = now - Math.max(host.lastSeenAt(), startedAt);
      if (silent >= downAfterMillis + removeAfterMillis) {
        continue;
      }
      ServiceStatus status = live.get(row.host() + '\0' + row.app() + '\0' + row.service());
      entries.add(entry(row, host, status, silent >= downAfterMillis));
    }
    return new Reading(nodes, entries, down);
  }

  private static CatalogEntry entry(
      InstanceRow row, HostRow host, ServiceStatus status, boolean hostDown) {
    String name = serviceName(row.app(), row.service());
    String id = name + "-" + row.host();
    Map<String, Integer> ports = row.ports() == null ? Map.of() : row.ports();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("app", row.app());
    meta.put("service", row.service());
    meta.put("version", row.version());
    meta.put("host", row.host());
    ports.forEach((portName, port) -> meta.put("port_" + portName, String.valueOf(port)));
    int first = ports.isEmpty() ? 0 : ports.values().iterator().next();
    String seen = Instant.ofEpochMilli(host.lastSeenAt()).toString();
    CatalogEntry.Check node =
        hostDown
            ? new CatalogEntry.Check(
                "serfHealth",
                "Serf Health Status",
                CatalogEntry.CRITICAL,
                "Agent not live or unreachable: host " + row.host() + " last heard from " + seen,
                false)
            : new CatalogEntry.Check(
                "serfHealth",
                "Serf Health Status",
                CatalogEntry.PASSING,
                "Agent alive and reachable",
                false);
    CatalogEntry.Check service =
        new CatalogEntry.Check(
            "service:" + id,
            "Service '" + name + "' check",
            hostDown ? CatalogEntry.CRITICAL : status(row, status),
            hostDown ? "host " + row.host() + " last heard from " + seen : output(row, status),
            true);
    return new CatalogEntry(
        row.host(),
        host.address(),
        id,
        name,
        row.address(),
        first,
        List.of(row.service(), "version=" + row.version()),
        meta,
        List.of(node, service));
  }

  /**
   * The agent's last report of the instance when it is of this release; else what the catalog
   * recorded (passing when a deployment saw it healthy). Consul knows no {@code unknown}: a check
   * that has not run yet is critical there.
   */
  private static String status(InstanceRow row, ServiceStatus live) {
    String health = current(row, live) ? live.health() : row.health();
    if (current(row, live) && !"running".equals(live.state())) {
      return CatalogEntry.CRITICAL;
    }
    return switch (health == null ? "" : health) {
      case CatalogEntry.PASSING -> CatalogEntry.PASSING;
      case CatalogEntry.WARNING -> CatalogEntry.WARNING;
      default -> CatalogEntry.CRITICAL;
    };
  }

  private static String output(InstanceRow row, ServiceStatus live) {
    if (!current(row, live)) {
      return "";
    }
    String out = live.healthOutput() == null ? "" : live.healthOutput();
    return "running".equals(live.state()) ? out : live.state() + (out.isEmpty() ? "" : ": " + out);
  }

  private static boolean current(InstanceRow row, ServiceStatus live) {
    return live != null && row.version().equals(live.version());
  }
}
