package dev.cast.api.core;

import dev.cast.workflows.host.StagingReport;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The releases hosts are fetching now, as their agents report them ({@code PUT
 * /v1/hosts/{name}/staging}), for a deployment's live view; and the bytes received since the last
 * report, by sender, for the metrics. Kept in memory only: a restarted api hears again within half
 * a second of the next progress, and what a fetch received before is not counted twice.
 */
public final class StagingBoard {
  /** A report not refreshed for this long is of a fetch whose agent went silent: not shown. */
  static final Duration STALE = Duration.ofSeconds(30);

  private record Seen(StagingReport report, long atMillis) {}

  private final Map<String, Map<String, Seen>> byHost = new ConcurrentHashMap<>();
  private final BiConsumer<String, Long> received;

  /**
   * @param received told of bytes received since a fetch's previous report, by sender ({@code
   *     peer}, {@code seed}, {@code web-seed}, {@code http})
   */
  public StagingBoard(BiConsumer<String, Long> received) {
    this.received = received;
  }

  /** What {@code host} is fetching now: replaces its previous report. */
  public void report(String host, List<StagingReport> reports, long nowMillis) {
    Map<String, Seen> now = new HashMap<>();
    byHost.compute(
        host,
        (h, before) -> {
          for (StagingReport report : reports) {
            String key = key(report.app(), report.version());
            Seen previous = before == null ? null : before.get(key);
            count(previous == null ? Map.of() : previous.report().received(), report.received());
            if (!report.done()) {
              now.put(key, new Seen(report, nowMillis));
            }
          }
          return now.isEmpty() ? null : now;
        });
  }

  /** The fetch of {@code app} {@code version} on {@code host}, while it runs and is reported. */
  public Optional<StagingReport> fetching(String host, String app, String version, long nowMillis) {
    Map<String, Seen> fetches = byHost.get(host);
    Seen seen = fetches == null ? null : fetches.get(key(app, version));
    return seen == null || nowMillis - seen.atMillis() > STALE.toMillis()
        ? Optional.empty()
        : Optional.of(seen.report());
  }

  // A new attempt starts its counts from zero again: then all it received is new.
  private void count(Map<String, Long> before, Map<String, Long> after) {
    if (after == null) {
      return;
    }
    boolean restarted =
        before.entrySet().stream().anyMatch(e -> after.getOrDefault(e.getKey(), 0L) < e.getValue());
    after.forEach(
        (source, bytes) -> {
          long delta = restarted ? bytes : bytes - before.getOrDefault(source, 0L);
          if (delta > 0) {
            received.accept(source, delta);
          }
        });
  }

  private static String key(String app, String version) {
    return app + "/" + version;
  }
}
