package dev.cast.api.metrics;

import dev.cast.api.db.HostDao;
import dev.cast.api.db.HostRow;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.workflows.host.ServiceStatus;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The fleet as it stands at each scrape, read from the catalog: hosts up and down, services by
 * state and their restarts (as agents report them), the registry's waiting reads, and the bundle
 * bytes the api sent.
 */
public final class FleetCollector extends Collector {
  private final HostDao hosts;
  private final ServiceStatusDao statuses;
  private final Duration downAfter;
  private final IntSupplier watchers;
  private final Supplier<Map<String, Object>> distribution;

  /**
   * @param downAfter how long a host may stay silent before it is down
   * @param watchers the registry's blocking reads waiting now
   * @param distribution the api's distribution counters ({@code seederUploadedBytes}, {@code
   *     httpBundleBytesServed})
   */
  public FleetCollector(
      HostDao hosts,
      ServiceStatusDao statuses,
      Duration downAfter,
      IntSupplier watchers,
      Supplier<Map<String, Object>> distribution) {
    this.hosts = hosts;
    this.statuses = statuses;
    this.downAfter = downAfter;
    this.watchers = watchers;
    this.distribution = distribution;
  }

  @Override
  public List<MetricFamilySamples> collect() {
    List<MetricFamilySamples> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    int up = 0;
    int down = 0;
    for (HostRow host : hosts.list()) {
      if (now - host.lastSeenAt() > downAfter.toMillis()) {
        down++;
      } else {
        up++;
      }
    }
    GaugeMetricFamily hostStates =
        new GaugeMetricFamily(
            "cast_hosts", "Registered hosts, up or down (no heartbeat)", List.of("state"));
    hostStates.addMetric(List.of("up"), up);
    hostStates.addMetric(List.of("down"), down);
    out.add(hostStates);

    Map<String, Integer> byState = new TreeMap<>();
    GaugeMetricFamily restarts =
        new GaugeMetricFamily(
            "cast_service_restarts",
            "Restarts of a service by its supervisor since it was last started on purpose",
            List.of("app", "service", "host"));
    for (ServiceStatusDao.ServiceStatusRow row : statuses.all()) {
      ServiceStatus s = row.status();
      byState.merge(s.state(), 1, Integer::sum);
      restarts.addMetric(List.of(s.app(), s.service(), s.host()), s.restarts());
    }
    GaugeMetricFamily services =
        new GaugeMetricFamily(
            "cast_services",
            "Service instances by the state their agents last reported (running, failed, ...)",
            List.of("state"));
    byState.forEach((state, n) -> services.addMetric(List.of(state), n));
    out.add(services);
    out.add(restarts);

    out.add(
        new GaugeMetricFamily(
            "cast_registry_blocking_watchers",
            "Registry reads waiting for a change (blocking queries)",
            watchers.getAsInt()));

    Map<String, Object> counters = distribution.get();
    CounterMetricFamily bytes =
        new CounterMetricFamily(
            "cast_bundle_bytes_served",
            "Bundle bytes the api sent to hosts, by source: its BitTorrent seed or HTTP",
            List.of("source"));
    bytes.addMetric(List.of("seed"), number(counters.get("seederUploadedBytes")));
    bytes.addMetric(List.of("http"), number(counters.get("httpBundleBytesServed")));
    out.add(bytes);
    return out;
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }
}
