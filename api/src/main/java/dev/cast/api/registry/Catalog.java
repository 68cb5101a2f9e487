package dev.cast.api.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.InstanceRow;
import dev.cast.api.db.ReleaseDao;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.errors.ApiException;
import dev.cast.workflows.host.ServiceStatus;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's service catalog: every instance Cast deploys (read from what the agents report)
 * and every service registered from outside, held in memory as one {@link CatalogSnapshot}. It is
 * read again from the api's database when told something changed ({@link #refresh}) and every
 * second, so that a host that stops heartbeating is noticed; a reading that differs takes a new
 * registry index and wakes the blocked reads of the catalog.
 */
public final class Catalog implements Managed {
  /** The topic every blocked catalog and health read waits on. */
  public static final String TOPIC = "catalog";

  /** The node of services registered through the agent API: the api itself. */
  public static final String AGENT_NODE = "cast-api";

  private static final Logger log = LoggerFactory.getLogger(Catalog.class);
  private static final TypeReference<LinkedHashMap<String, Integer>> PORTS =
      new TypeReference<>() {};

  private final Jdbi jdbi;
  private final HostDao hosts;
  private final ReleaseDao releases;
  private final Registry registry;
  private final Blocking blocking;
  private final ObjectMapper json;
  private final long downAfterMillis;
  private final long removeAfterMillis;
  private final LongSupplier clock;
  private final ServiceStatusDao statusDao;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

  /** Services registered from outside, by node then ID; guarded by {@code this}. */
  private final Map<String, Map<String, ExternalService>> external = new TreeMap<>();

  private volatile CatalogSnapshot snapshot = CatalogSnapshot.empty();
  private Set<String> downHosts;
  private long startedAt;
  private ScheduledExecutorService timer;

  public Catalog(
      Jdbi jdbi,
      HostDao hosts,
      ReleaseDao releases,
      Registry registry,
      ObjectMapper json,
      Duration downAfter,
      Duration removeAfter) {
    this(jdbi, hosts, releases, registry, json, downAfter, removeAfter, System::currentTimeMillis);
  }

  Catalog(
      Jdbi jdbi,
      HostDao hosts,
      ReleaseDao releases,
      Registry registry,
      ObjectMapper json,
      Duration downAfter,
      Duration removeAfter,
      LongSupplier clock) {
    this.jdbi = jdbi;
    this.hosts = hosts;
    this.releases = releases;
    this.registry = registry;
    this.blocking = registry.blocking();
    this.json = json;
    this.downAfterMillis = downAfter.toMillis();
    this.removeAfterMillis = removeAfter.toMillis();
    this.clock = clock;
    this.statusDao = new ServiceStatusDao(jdbi);
  }

  /** The catalog as last read. */
  /** Tells {@code listener} after each change of the catalog; it must only hand it on. */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  public CatalogSnapshot snapshot() {
    return snapshot;
  }

  public Blocking blocking() {
    return blocking;
  }

  /**
   * Something the catalog is read from changed (an agent's report, a deployment's switch): read it
   * again soon, on the catalog's thread. Calls that come while a reading waits share it.
   */
  public void refresh() {
    ScheduledExecutorService t = timer;
    if (t != null && pending.compareAndSet(false, true)) {
      try {
        t.execute(this::refreshQuietly);
      } catch (RuntimeException stopping) {
        pending.set(false);
      }
    }
  }

  /** Reads the catalog again now. */
  public void refreshNow() {
    recompute(registry::nextIndex);
  }

  // ---- services from outside -------------------------------------------------------------

  /**
   * Registers (or replaces) a service Cast did not deploy. Its name may not be one a Cast app's
   * service has, nor may its node be a Cast host. Kept in the database before it shows.
   */
  public synchronized void register(ExternalService service) {
    refuseCastNames(service);
    Map<String, ExternalService> onNode = external.getOrDefault(service.node(), Map.of());
    if (service.node().equals(AGENT_NODE) && !onNode.isEmpty()) {
      // The api's node keeps the address it was first registered with.
      service = service.onNode(AGENT_NODE, onNode.values().iterator().next().nodeAddress());
    }
    long index = registry.nextIndex();
    ExternalService stored = service;
    jdbi.useTransaction(
        h -> {
          Long created =
              h.createQuery(
                      "SELECT create_index FROM registry_services WHERE node = ? AND service_id = ?")
                  .bind(0, stored.node())
                  .bind(1, stored.id())
                  .mapTo(Long.class)
                  .findOne()
                  .orElse(index);
          h.createUpdate(
                  "INSERT OR REPLACE INTO registry_services (node, address, service_id, service,"
                      + " service_address, port, tags, meta, create_index, modify_index) VALUES"
                      + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .bind(0, stored.node())
              .bind(1, stored.nodeAddress())
              .bind(2, stored.id())
              .bind(3, stored.service())
              .bind(4, stored.address())
              .bind(5, stored.port())
              .bind(6, write(stored.tags()))
              .bind(7, write(stored.meta()))
              .bind(8, created)
              .bind(9, index)
              .execute();
          // A node has one address: the last registration's.
          h.execute(
              "UPDATE registry_services SET address = ? WHERE node = ?",
              stored.nodeAddress(),
              stored.node());
        });
    Map<String, ExternalService> node =
        external.computeIfAbsent(service.node(), n -> new TreeMap<>());
    node.replaceAll((id, s) -> s.onNode(stored.node(), stored.nodeAddress()));
    node.put(service.id(), service);
    recompute(() -> index);
  }

  /**
   * Removes a service registered from outside, or with a null {@code serviceId} its node and all
   * its services; false when there was no such service or node.
   */
  public synchronized boolean deregister(String node, String serviceId) {
    Map<String, ExternalService> onNode = external.get(node);
    if (onNode == null || (serviceId != null && !onNode.containsKey(serviceId))) {
      return false;
    }
    jdbi.useHandle(
        h -> {
          if (serviceId == null) {
            h.execute("DELETE FROM registry_services WHERE node = ?", node);
          } else {
            h.execute(
                "DELETE FROM registry_services WHERE node = ? AND service_id = ?", node, serviceId);
          }
        });
    if (serviceId == null) {
      external.remove(node);
    } else {
      onNode.remove(serviceId);
      if (onNode.isEmpty()) {
        external.remove(node);
      }
    }
    recompute(registry::nextIndex);
    return true;
  }

  /** Whether {@code node} is a Cast host (its services are Cast's, not registered from outside). */
  public boolean isHost(String node) {
    return hosts.find(node).isPresent();
  }

  private void refuseCastNames(ExternalService service) {
    List<ReleaseDao.AppService> cast = releases.servicesNamed(service.service(), null);
    if (!cast.isEmpty()) {
      ReleaseDao.AppService owner = cast.get(0);
      throw ApiException.conflict(
          "SERVICE_NAME_CLASH",
          "\""
              + service.service()
              + "\" is the registry name of service \""
              + owner.service()
              + "\" of Cast app \""
              + owner.app()
              + "\"; Cast registers the instances it deploys itself: give this service another"
              + " name");
    }
    if (isHost(service.node())) {
      throw ApiException.conflict(
          "NODE_IS_A_HOST",
          "node \""
              + service.node()
              + "\" is a Cast host: its catalog entries are the services Cast deploys there;"
              + " register services of your own on a node of another name");
    }
  }

  // ---- reading ---------------------------------------------------------------------------

  private void refreshQuietly() {
    pending.set(false);
    try {
      recompute(registry::nextIndex);
    } catch (RuntimeException e) {
      log.warn(
          "registry: the catalog could not be read ({}); it tries again in a second", e.toString());
    }
  }

  private synchronized void recompute(LongSupplier index) {
    long now = clock.getAsLong();
    CastInstances.Reading cast =
        CastInstances.read(
            hosts.list(),
            currentInstances(),
            statuses(),
            now,
            startedAt,
            downAfterMillis,
            removeAfterMillis);
    List<CatalogNode> nodes = new ArrayList<>(cast.nodes());
    List<CatalogEntry> entries = new ArrayList<>(cast.entries());
    Set<String> hostNames = new TreeSet<>();
    cast.nodes().forEach(n -> hostNames.add(n.name()));
    external.forEach(
        (node, services) -> {
          if (hostNames.contains(node) || services.isEmpty()) {
            return; // a host registered since under the same name: Cast's view wins
          }
          ExternalService first = services.values().iterator().next();
          nodes.add(new CatalogNode(node, first.nodeAddress(), Map.of(), true));
          services.values().forEach(s -> entries.add(s.entry()));
        });
    CatalogSnapshot next = snapshot.next(nodes, entries, index);
    endSessionsOfDownHosts(cast.downHosts());
    if (next != snapshot) {
      snapshot = next;
      blocking.wake(TOPIC);
      changeListeners.forEach(Runnable::run);
    }
  }

  /** Sessions bound to a host end when it goes down (once per time it goes down). */
  private void endSessionsOfDownHosts(Set<String> down) {
    Set<String> before = downHosts == null ? Set.of() : downHosts;
    downHosts = down;
    for (String host : down) {
      if (!before.contains(host)
          && registry.sessions().body().stream().anyMatch(s -> host.equals(s.node()))) {
        log.info("registry: host {} is down: ending the sessions bound to it", host);
        var unused =
            registry
                .endSessionsOf(host)
                .whenComplete(
                    (ended, failure) -> {
                      if (failure != null) {
                        log.warn(
                            "registry: the sessions of host {} did not end: {}", host, failure);
                      }
                    });
      }
    }
  }

  private List<InstanceRow> currentInstances() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT i.app, i.host, i.version, i.service, i.address, i.ports, i.health,"
                        + " i.updated_at FROM instances i JOIN host_apps c ON c.app = i.app"
                        + " AND c.host = i.host AND c.version = i.version")
                .map(
                    (rs, ctx) ->
                        new InstanceRow(
                            rs.getString("app"),
                            rs.getString("host"),
                            rs.getString("version"),
                            rs.getString("service"),
                            rs.getString("address"),
                            ports(rs.getString("ports")),
                            rs.getString("health"),
                            rs.getLong("updated_at")))
                .list());
  }

  private List<ServiceStatus> statuses() {
    return statusDao.all().stream().map(ServiceStatusDao.ServiceStatusRow::status).toList();
  }

  private Map<String, Integer> ports(String text) {
    try {
      return text == null ? Map.of() : json.readValue(text, PORTS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("instances.ports is not a JSON object: " + text, e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  @Override
  public void start() {
    startedAt = clock.getAsLong();
    load();
    refreshNow();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-catalog");
              t.setDaemon(true);
              return t;
            });
    var unused = timer.scheduleWithFixedDelay(this::refreshQuietly, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private synchronized void load() {
    TypeReference<List<String>> list = new TypeReference<>() {};
    TypeReference<Map<String, String>> map = new TypeReference<>() {};
    List<ExternalService> rows =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT * FROM registry_services")
                    .map(
                        (rs, ctx) -> {
                          try {
                            String tags = rs.getString("tags");
                            String meta = rs.getString("meta");
                            return new ExternalService(
                                rs.getString("node"),
                                rs.getString("address"),
                                rs.getString("service_id"),
                                rs.getString("service"),
                                rs.getString("service_address") == null
                                    ? ""
                                    : rs.getString("service_address"),
                                rs.getInt("port"),
                                tags == null ? List.of() : json.readValue(tags, list),
                                meta == null ? Map.of() : json.readValue(meta, map));
                          } catch (JsonProcessingException e) {
                            throw new IllegalStateException(
                                "registry_services: a row's tags or meta is not JSON", e);
                          }
                        })
                    .list());
    for (ExternalService s : rows) {
      external.computeIfAbsent(s.node(), n -> new TreeMap<>()).put(s.id(), s);
    }
    log.info("registry: {} services registered from outside", rows.size());
  }
}
