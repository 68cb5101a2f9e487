package dev.cast.api.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.hotspot.DefaultExports;

/**
 * What Prometheus scrapes from the api at {@code GET /metrics} on the admin port: deployments
 * started and finished, how long they took, the fleet as it stands ({@link FleetCollector}), the
 * JVM's figures (Prometheus' hotspot instrumentation), and every Dropwizard metric (Jetty, Jersey)
 * through Prometheus' own Dropwizard bridge. Written in Prometheus' text format by its own servlet,
 * never by hand.
 */
public final class CastMetrics {
  private final CollectorRegistry registry = new CollectorRegistry();
  private final Counter started =
      Counter.build()
          .name("cast_deployments_started_total")
          .help("Deployments started: deploys, rollbacks, config rollouts, service operations")
          .labelNames("kind", "app")
          .register(registry);
  private final Counter finished =
      Counter.build()
          .name("cast_deployments_finished_total")
          .help("Deployments that ended, by kind, app and final state")
          .labelNames("kind", "app", "state")
          .register(registry);
  private final Histogram duration =
      Histogram.build()
          .name("cast_deployment_duration_seconds")
          .help("From a deployment's start to its end, by kind and final state")
          .labelNames("kind", "state")
          .buckets(1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600)
          .register(registry);

  private final Counter stagingBytes =
      Counter.build()
          .name("cast_staging_bytes_total")
          .help(
              "Bundle bytes hosts received while staging releases, by sender: peer (another host),"
                  + " seed (the api's BitTorrent seeder), web-seed (the api's bundle URL as a web"
                  + " seed), http (a plain download)")
          .labelNames("source")
          .register(registry);

  /**
   * @param dropwizard the application's metric registry, exported as it is
   */
  public CastMetrics(MetricRegistry dropwizard) {
    new DropwizardExports(dropwizard).register(registry);
    // The JVM's memory, threads, GC and class loading, as Prometheus' own instrumentation names
    // them (jvm_memory_bytes_used and the rest).
    DefaultExports.register(registry);
  }

  /** A collector read at each scrape. */
  public void add(Collector collector) {
    collector.register(registry);
  }

  public void started(String kind, String app) {
    started.labels(kind, app).inc();
  }

  public void finished(String kind, String app, String state, double seconds) {
    finished.labels(kind, app, state).inc();
    duration.labels(kind, state).observe(seconds);
  }

  /** Hosts received {@code bytes} more from {@code source} while staging. */
  public void staged(String source, long bytes) {
    stagingBytes.labels(source).inc(bytes);
  }

  public CollectorRegistry registry() {
    return registry;
  }
}
