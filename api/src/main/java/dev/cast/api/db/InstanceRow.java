package dev.cast.api.db;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A service of the current release on a host. {@code ports} maps port name to port. */
public record InstanceRow(
    String app,
    String host,
    String version,
    String service,
    String address,
    @JsonColumn Map<String, Integer> ports,
    String health,
    long updatedAt) {

  /**
   * One row per service of a release on a host, from the release's endpoints (one per named port of
   * a service, in any order; a service's ports keep the order they came in).
   */
  public static <E> List<InstanceRow> perService(
      String app,
      String host,
      String version,
      String address,
      String health,
      List<E> endpoints,
      Function<E, String> service,
      Function<E, String> portName,
      Function<E, Integer> port) {
    Map<String, Map<String, Integer>> byService = new LinkedHashMap<>();
    for (E e : endpoints) {
      byService
          .computeIfAbsent(service.apply(e), s -> new LinkedHashMap<>())
          .put(portName.apply(e), port.apply(e));
    }
    long now = System.currentTimeMillis();
    List<InstanceRow> rows = new ArrayList<>();
    byService.forEach(
        (name, ports) ->
            rows.add(new InstanceRow(app, host, version, name, address, ports, health, now)));
    return rows;
  }
}
