package dev.cast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.bundle.BundlePacker;
import dev.cast.cli.ApiClient;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deploy and rollback latency on one host, through the REST API, with the embedded Temporal server:
 * REST accepted → SUCCEEDED, median of N runs, and how much of it the activities themselves took
 * (host and catalog work) versus everything around them (Temporal round trips, task dispatch, REST
 * and polling). Targets: deploy median ≤ 1.0 s, rollback median ≤ 0.5 s.
 */
public final class DeployBench {
  private static final double DEPLOY_TARGET_MS = 1000;
  private static final double ROLLBACK_TARGET_MS = 500;

  private final ApiClient api;
  private final WorkflowClient temporal;

  private DeployBench(ApiClient api, WorkflowClient temporal) {
    this.api = api;
    this.temporal = temporal;
  }

  /** One timed run: wall time and the time spent inside activities. */
  record Run(double totalMs, double activityMs, int events) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 20;
    BenchServer server = BenchServer.start();
    Path dir = server.dir;
    DeployBench bench = new DeployBench(server.api, server.app.runtime().temporal().client());
    int code = 0;
    try {
      code = bench.run(dir, runs);
    } finally {
      server.stop();
    }
    System.exit(code);
  }

  private int run(Path dir, int runs) throws Exception {
    Path app = dir.resolve("app");
    Files.createDirectories(app);
    // Ready at once: a process with no health check is healthy as soon as it runs.
    Files.writeString(
        app.resolve("cast.yml"),
        "name: bench\nversion: 0.0.0\nservices:\n  web:\n"
            + "    command: [\"sh\", \"-c\", \"exec sleep 100000\"]\n"
            + "    stop: {signal: TERM, grace: 2s}\n");
    for (int v = 0; v <= runs; v++) {
      Path bundle = dir.resolve("bench-" + v + ".tar.gz");
      BundlePacker.pack(app, bundle, v + ".0.0");
      require(api.pushBundle("bench", bundle).status() == 201, "push " + v);
    }
    timed("/v1/apps/bench/deployments", Map.of("version", "0.0.0")); // warm-up
    List<Run> deploys = new ArrayList<>();
    for (int v = 1; v <= runs; v++) {
      deploys.add(timed("/v1/apps/bench/deployments", Map.of("version", v + ".0.0")));
    }
    List<Run> rollbacks = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      // The default target is the previous release: already staged, so this is the fast path.
      rollbacks.add(timed("/v1/apps/bench/rollback", Map.of()));
    }
    System.out.printf("Cast deploy benchmark: one host, embedded Temporal, %d runs each%n", runs);
    boolean ok = report("deploy   (new release: fetch, unpack, switch)", deploys, DEPLOY_TARGET_MS);
    ok &= report("rollback (to a staged release)", rollbacks, ROLLBACK_TARGET_MS);
    return 0;
  }

  private Run timed(String path, Map<String, Object> body) throws Exception {
    long start = System.nanoTime();
    ApiClient.Reply started = api.postJson(path, body);
    require(started.status() == 202, path + " answered " + started.status() + " " + started.body());
    String id = started.body().path("id").asText();
    JsonNode done = api.awaitDeployment(id, Duration.ofMinutes(2));
    double total = (System.nanoTime() - start) / 1e6;
    require(
        "SUCCEEDED".equals(done.path("state").asText()),
        "deployment " + id + " ended " + done.path("state") + ": " + done.path("cause"));
    WorkflowExecutionHistory history =
        temporal.fetchHistory(done.path("workflowId").asText(), done.path("runId").asText());
    return new Run(total, activityMillis(history.getEvents()), history.getEvents().size());
  }

  /** Time between each activity's start and its end, summed (they run one after another). */
  private static double activityMillis(List<HistoryEvent> events) {
    Map<Long, Long> started = new HashMap<>();
    double total = 0;
    for (HistoryEvent e : events) {
      long at = e.getEventTime().getSeconds() * 1_000_000_000L + e.getEventTime().getNanos();
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        started.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), at);
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        Long begin = started.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        total += begin == null ? 0 : (at - begin) / 1e6;
      }
    }
    return total;
  }

  private static boolean report(String what, List<Run> runs, double targetMs) {
    double median = median(runs.stream().map(Run::totalMs).toList());
    double p90 = percentile(runs.stream().map(Run::totalMs).toList(), 0.9);
    double activities = median(runs.stream().map(Run::activityMs).toList());
    double events = median(runs.stream().map(r -> (double) r.events()).toList());
    double share = Math.min(1.0, activities / median);
    System.out.printf(
        "%-46s median %7.1f ms  p90 %7.1f ms  target %5.0f ms  ratio %.2f  %s%n",
        what, median, p90, targetMs, median / targetMs, median <= targetMs ? "MET" : "MISSED");
    System.out.printf(
        "    inside activities (host + catalog work) %6.1f ms (%4.1f%%); Temporal round trips,"
            + " dispatch, REST and polling %6.1f ms (%4.1f%%); %.0f history events%n",
        activities, share * 100, median - activities, (1 - share) * 100, events);
    return median <= targetMs;
  }

  static double median(List<Double> values) {
    return percentile(values, 0.5);
  }

  static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
