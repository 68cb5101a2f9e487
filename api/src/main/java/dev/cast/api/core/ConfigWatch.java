package dev.cast.api.core;

import dev.cast.api.db.ConfigDao;
import dev.cast.api.db.ConfigDao.LastRendering;
import dev.cast.api.db.WatchDao;
import dev.cast.api.db.WatchDao.WatchRow;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.ConfigRolloutBody;
import dev.cast.api.model.WatchBody;
import dev.cast.api.model.WatchView;
import dev.cast.api.registry.Catalog;
import dev.cast.api.registry.CatalogEntry;
import dev.cast.api.registry.CatalogSnapshot;
import dev.cast.api.registry.KvEntry;
import dev.cast.api.registry.Registry;
import dev.cast.bundle.Durations;
import dev.cast.workflows.host.ConfigReads;
import dev.cast.workflows.shared.Limits;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Config watches: an app whose watch is on gets a config rollout by itself when a key or prefix its
 * templates read is written, or the healthy instances of a service they look up change. Changes are
 * debounced as consul-template's {@code wait}: the rollout starts once none came for {@code min},
 * or {@code max} after the first, so a burst of writes makes one rollout, which rolls out one host
 * at a time like any other. All its work runs on one thread; the registry's writer and the catalog
 * only hand it their changes.
 */
public final class ConfigWatch implements Managed {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);

  /** Who the rollouts a watch starts are recorded as requested by. */
  public static final String WHO = "config-watch";

  static final Duration DEFAULT_MIN = Duration.ofSeconds(2);
  static final Duration DEFAULT_MAX = Duration.ofSeconds(10);
  private static final Duration LONGEST_WAIT = Duration.ofHours(1);
  private static final long RELOAD_MILLIS = 2_000;

  private final WatchDao watches;
  private final ConfigDao configs;
  private final Registry registry;
  private final Catalog catalog;
  private final DeploymentService deployments;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "config-watch");
            t.setDaemon(true);
            return t;
          });
  // Touched on the watch's thread only.
  private final Map<String, Watched> watched = new HashMap<>();

  /** One watched app: what it reads, and the changes waiting for their rollout. */
  private static final class Watched {
    WatchRow settings;
    ConfigReads reads = ConfigReads.NONE;
    final Map<String, String> services = new HashMap<>();
    long firstChange = -1;
    final Set<String> why = new TreeSet<>();
    ScheduledFuture<?> timer;
  }

  public ConfigWatch(
      WatchDao watches,
      ConfigDao configs,
      Registry registry,
      Catalog catalog,
      DeploymentService deployments) {
    this.watches = watches;
    this.configs = configs;
    this.registry = registry;
    this.catalog = catalog;
    this.deployments = deployments;
  }

  @Override
  public void start() {
    registry.onKeysChanged(keys -> thread.execute(() -> keysChanged(keys)));
    catalog.onChange(() -> thread.execute(this::catalogChanged));
    // What apps read changes with each deploy and config rollout.
    thread.scheduleWithFixedDelay(this::reloadQuietly, 0, RELOAD_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    thread.shutdownNow();
  }

  /** Turns an app's watch on or off; its view. */
  public WatchView put(String app, WatchBody body, String who) {
    if (body == null || body.enabled() == null) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          "field \"enabled\" is required, e.g. {\"enabled\": true, \"wait\": {\"min\": \"2s\","
              + " \"max\": \"10s\"}}");
    }
    Duration min = DEFAULT_MIN;
    Duration max = DEFAULT_MAX;
    if (body.waiting() != null) {
      if (body.waiting().min() != null) {
        min = RequestChecks.duration("wait.min", body.waiting().min(), Duration.ZERO, LONGEST_WAIT);
      }
      if (body.waiting().max() != null) {
        max = RequestChecks.duration("wait.max", body.waiting().max(), Duration.ZERO, LONGEST_WAIT);
      } else if (max.compareTo(min) < 0) {
        max = min;
      }
      if (max.compareTo(min) < 0) {
        throw ApiException.badRequest(
            "INVALID_REQUEST",
            "wait.max ("
                + body.waiting().max()
                + ") is shorter than wait.min ("
                + body.waiting().min()
                + "); max is the longest a rollout waits after the first change");
      }
    }
    watches.put(
        new WatchRow(
            app, body.enabled(), min.toMillis(), max.toMillis(), who, System.currentTimeMillis()));
    thread.execute(this::reloadQuietly);
    return view(app);
  }

  /** An app's watch (off when never set). */
  public WatchView view(String app) {
    WatchRow row =
        watches
            .find(app)
            .orElse(
                new WatchRow(app, false, DEFAULT_MIN.toMillis(), DEFAULT_MAX.toMillis(), null, 0));
    return new WatchView(
        app,
        row.enabled(),
        new WatchBody.Wait(
            Durations.format(Duration.ofMillis(row.waitMinMs())),
            Durations.format(Duration.ofMillis(row.waitMaxMs()))),
        union(configs.readsOf(app).values().stream().map(LastRendering::reads).toList()),
        row.updatedBy());
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      log.warn("config watch: cannot read the watched apps: {}", e.toString());
    }
  }

  private void reload() {
    Map<String, WatchRow> enabled = new HashMap<>();
    watches.enabled().forEach(row -> enabled.put(row.app(), row));
    for (String app : List.copyOf(watched.keySet())) {
      if (!enabled.containsKey(app)) {
        Watched gone = watched.remove(app);
        if (gone.timer != null) {
          gone.timer.cancel(false);
        }
      }
    }
    CatalogSnapshot snapshot = catalog.snapshot();
    enabled.forEach(
        (app, row) -> {
          boolean fresh = !watched.containsKey(app);
          Watched w = watched.computeIfAbsent(app, a -> new Watched());
          w.settings = row;
          Map<String, LastRendering> last = configs.readsOf(app);
          w.reads = union(last.values().stream().map(LastRendering::reads).toList());
          if (fresh) {
            // Writes made while nothing watched (the api was down, the watch was off) count too.
            List<String> missed = missedKeys(w.reads, last);
            if (!missed.isEmpty()) {
              changed(app, w, missed);
            }
          }
          for (String service : w.reads.services()) {
            // A service newly read starts from what it is now: only later changes count.
            w.services.computeIfAbsent(service, s -> fingerprint(snapshot, s));
          }
          w.services.keySet().retainAll(Set.copyOf(w.reads.services()));
        });
  }

  /**
   * The keys read that were written after the oldest of the hosts' last renderings (deletes leave
   * no trace to compare with, so they are not found this way).
   */
  private List<String> missedKeys(ConfigReads reads, Map<String, LastRendering> last) {
    long since =
        last.values().stream().mapToLong(LastRendering::index).min().orElse(Long.MAX_VALUE);
    List<String> missed = new ArrayList<>();
    for (String key : reads.keys()) {
      KvEntry entry = registry.get(key).body();
      if (entry != null && entry.modifyIndex() > since) {
        missed.add(key);
      }
    }
    for (String prefix : reads.prefixes()) {
      for (KvEntry entry : registry.range(prefix).body()) {
        if (entry.modifyIndex() > since) {
          missed.add(entry.key());
        }
      }
    }
    return missed;
  }

  private static ConfigReads union(Iterable<ConfigReads> all) {
    Set<String> keys = new TreeSet<>();
    Set<String> prefixes = new TreeSet<>();
    Set<String> services = new TreeSet<>();
    for (ConfigReads reads : all) {
      keys.addAll(reads.keys());
      prefixes.addAll(reads.prefixes());
      services.addAll(reads.services());
    }
    return new ConfigReads(List.copyOf(keys), List.copyOf(prefixes), List.copyOf(services));
  }

  private void keysChanged(Set<String> keys) {
    watched.forEach(
        (app, w) -> {
          List<String> matched = new ArrayList<>();
          for (String key : keys) {
            if (w.reads.keys().contains(key)
                || w.reads.prefixes().stream().anyMatch(key::startsWith)) {
              matched.add(key);
            }
          }
          if (!matched.isEmpty()) {
            changed(app, w, matched);
          }
        });
  }

  private void catalogChanged() {
    CatalogSnapshot snapshot = catalog.snapshot();
    watched.forEach(
        (app, w) -> {
          List<String> matched = new ArrayList<>();
          w.services.replaceAll(
              (service, before) -> {
                String now = fingerprint(snapshot, service);
                if (!now.equals(before)) {
                  matched.add("service " + service);
                }
                return now;
              });
          if (!matched.isEmpty()) {
            changed(app, w, matched);
          }
        });
  }

  /** What a template sees of a service: its healthy instances' addresses, ports and tags. */
  private static String fingerprint(CatalogSnapshot snapshot, String service) {
    Set<String> healthy = new TreeSet<>();
    for (CatalogSnapshot.Instance instance : snapshot.instances(service)) {
      CatalogEntry entry = instance.entry();
      if (entry.checks().stream().allMatch(c -> CatalogEntry.PASSING.equals(c.status()))) {
        healthy.add(entry.address() + ":" + entry.port() + " " + entry.tags() + " " + entry.meta());
      }
    }
    return String.join("\n", healthy);
  }

  /** A change the app's config depends on: (re)arms its rollout as {@code wait} says. */
  private void changed(String app, Watched w, List<String> what) {
    long now = System.currentTimeMillis();
    if (w.firstChange < 0) {
      w.firstChange = now;
    }
    w.why.addAll(what);
    long fireAt = Math.min(now + w.settings.waitMinMs(), w.firstChange + w.settings.waitMaxMs());
    if (w.timer != null) {
      w.timer.cancel(false);
    }
    w.timer = thread.schedule(() -> fire(app), Math.max(0, fireAt - now), TimeUnit.MILLISECONDS);
  }

  private void fire(String app) {
    Watched w = watched.get(app);
    if (w == null || w.firstChange < 0) {
      return;
    }
    String reason = "config watch: " + String.join(", ", w.why) + " changed";
    if (reason.length() > Limits.MAX_REASON_CHARS) {
      reason = reason.substring(0, Limits.MAX_REASON_CHARS - 1) + "…";
    }
    try {
      String id =
          deployments
              .configRollout(app, new ConfigRolloutBody(null, null, null, reason, null), WHO)
              .id();
      log.info("{}: {} started config rollout {}", app, reason, id);
    } catch (ApiException e) {
      if (e.status() == 409 && "DEPLOYMENT_IN_PROGRESS".equals(e.type())) {
        // Once the running deployment ends, the rollout renders what the registry holds then.
        w.timer =
            thread.schedule(
                () -> fire(app), Math.max(1_000, w.settings.waitMinMs()), TimeUnit.MILLISECONDS);
        return;
      }
      log.warn("{}: {}, but no config rollout could start: {}", app, reason, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("{}: {}, but no config rollout could start", app, reason, e);
    }
    w.firstChange = -1;
    w.why.clear();
    w.timer = null;
  }
}
