package dev.cast.activities.ports;

import dev.cast.activities.host.ApplicationFailures;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Hands out the host's ports. The same (app, service, name) keeps its port across releases; a new
 * one gets the lowest port in the range that no one holds and that can be bound right now.
 */
public final class PortAllocator {
  private final Jdbi jdbi;
  private final int from;
  private final int to;

  public PortAllocator(Jdbi jdbi, int from, int to) {
    this.jdbi = jdbi;
    this.from = from;
    this.to = to;
  }

  /**
   * The ports of a service, allocating the ones it does not have yet.
   *
   * @return port by name, in the order of {@code names}
   * @throws io.temporal.failure.ApplicationFailure PORT_IN_USE when the range is exhausted
   */
  public Map<String, Integer> allocate(String app, String service, List<String> names) {
    return jdbi.inTransaction(
        h -> {
          Map<String, Integer> held = held(h, app, service);
          Map<String, Integer> ports = new LinkedHashMap<>();
          for (String name : names) {
            Integer port = held.get(name);
            ports.put(name, port != null ? port : insert(h, app, service, name));
          }
          return ports;
        });
  }

  /** The ports a service holds, by name. */
  public Map<String, Integer> ports(String app, String service) {
    return jdbi.withHandle(h -> held(h, app, service));
  }

  /** Gives back every port of an app. */
  public void release(String app) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM ports WHERE app = ?").bind(0, app).execute());
  }

  /** Gives back every port of one service of an app. */
  public void release(String app, String service) {
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM ports WHERE app = ? AND service = ?")
                .bind(0, app)
                .bind(1, service)
                .execute());
  }

  /** The services of an app that hold ports. */
  public Set<String> services(String app) {
    List<String> services =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT DISTINCT service FROM ports WHERE app = ?")
                    .bind(0, app)
                    .mapTo(String.class)
                    .list());
    return new TreeSet<>(services);
  }

  /**
   * Moves a port of a service to another free one, for when something else took the one it had.
   *
   * @return the new port
   * @throws io.temporal.failure.ApplicationFailure PORT_IN_USE when the range is exhausted
   */
  public int reallocate(String app, String service, String name) {
    return jdbi.inTransaction(
        h -> {
          h.createUpdate("DELETE FROM ports WHERE app = ? AND service = ? AND name = ?")
              .bind(0, app)
              .bind(1, service)
              .bind(2, name)
              .execute();
          return insert(h, app, service, name);
        });
  }

  private static Map<String, Integer> held(Handle h, String app, String service) {
    Map<String, Integer> held = new LinkedHashMap<>();
    h.createQuery("SELECT name, port FROM ports WHERE app = ? AND service = ? ORDER BY port")
        .bind(0, app)
        .bind(1, service)
        .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getInt("port")))
        .forEach(e -> held.put(e.getKey(), e.getValue()));
    return held;
  }

  private int insert(Handle h, String app, String service, String name) {
    Set<Integer> taken =
        new HashSet<>(h.createQuery("SELECT port FROM ports").mapTo(Integer.class).list());
    for (int port = from; port <= to; port++) {
      if (!taken.contains(port) && bindable(port)) {
        h.createUpdate("INSERT INTO ports (app, service, name, port) VALUES (?, ?, ?, ?)")
            .bind(0, app)
            .bind(1, service)
            .bind(2, name)
            .bind(3, port)
            .execute();
        return port;
      }
    }
    throw ApplicationFailures.permanent(
        DeployFailure.PORT_IN_USE,
        "no free port in " + from + "-" + to + " for " + app + "/" + service + " " + name);
  }

  /** Whether a listening socket could be bound to the port on all addresses right now. */
  public static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
