package dev.cast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.bundle.BundlePacker;
import dev.cast.cli.ApiClient;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

/**
 * Config change latency on a watched app: a registry write to the key the app's template reads →
 * the new value served by every one of N hosts (a GET on each instance's address and port), with
 * the watch's debounce at 0 s ({@code wait} min = max = 0s), for a release whose template says
 * {@code on_change: rollout} (the watch's rollout goes one host at a time) and one that says {@code
 * on_change: restart} (every host at once), beside a plain deploy of a new release of the same app
 * (REST accepted → every host serving it, one host at a time) as the baseline. The hosts are real
 * host agents in this JVM ({@link AgentFleet}), each running the settings example ({@code
 * examples/settings}: a JVM per host, {@code java Settings.java}, serving its rendered
 * config/app.properties). It prints figures; slowness is no failure.
 *
 * <p>Each measured round runs, in this order: a deploy of a new {@code rollout} release (timed as
 * the baseline), a write (timed: rolling), a deploy of a new {@code restart} release (timed as the
 * baseline), a write (timed: at once). So the three are measured side by side, the baseline twice
 * per round, and every write finds hosts on a release freshly deployed. The bench's copy of the
 * example adds one line to the template, {@code version={{env "CAST_VERSION"}}}, so a GET shows
 * which release a host serves.
 *
 * <p>Options: {@code --hosts 1,8}; {@code --runs 3} measured rounds per fleet size; {@code --warmup
 * 1} unmeasured rounds before them; {@code --poll-ms 20}, how often each host is asked.
 */
public final class ConfigBench {
  private static final String APP = "settings";
  private static final String KEY = "config/settings/greeting";
  private static final Path EXAMPLE = Path.of("examples/settings");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** The example's command, run as it is outside Cast for the start-up reference. */
  private static final List<String> COMMAND =
      List.of("java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "Settings.java");

  private final BenchServer server;
  private final AgentFleet fleet;
  private final WorkflowClient temporal;
  private final Options options;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();
  private final ExecutorService pollers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "config-bench-poller");
            t.setDaemon(true);
            return t;
          });

  /** Per fleet size: the service started outside Cast, one alone and N at once, ms. */
  private final Map<Integer, double[]> alone = new LinkedHashMap<>();

  private int nextVersion = 1;
  private int nextValue = 1;

  record Options(List<Integer> hosts, int runs, int warmup, int pollMs) {
    private static final String USAGE =
        "--hosts 1,8 --runs 3 --warmup 1 --poll-ms 20 (all optional)";

    static Options parse(String[] args) {
      List<Integer> hosts = List.of(1, 8);
      int runs = 3;
      int warmup = 1;
      int pollMs = 20;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--hosts" -> hosts = BenchArgs.hostCounts(args[++i]);
          case "--runs" -> runs = BenchArgs.positive(args[++i]);
          case "--warmup" -> warmup = BenchArgs.nonNegative(args[++i]);
          case "--poll-ms" -> pollMs = BenchArgs.positive(args[++i]);
          default ->
              throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + USAGE);
        }
      }
      return new Options(hosts, runs, warmup, pollMs);
    }
  }

  /** What is timed. */
  enum Kind {
    ROLLING("write → served, on_change: rollout", "rolling"),
    AT_ONCE("write → served, on_change: restart", "at once"),
    DEPLOY("plain deploy, new release (baseline)", "deploy");

    final String title;
    final String shortName;

    Kind(String title, String shortName) {
      this.title = title;
      this.shortName = shortName;
    }
  }

  /**
   * One timed change. Times are ms after the clock started (the write's 200, or just before the
   * deploy's POST).
   *
   * @param totalMs until every host served the change
   * @param firstHostMs until the first host served it
   * @param startedMs the deployment's startedAt (for a config rollout: the watch has started it)
   * @param endedMs the deployment's endedAt
   * @param batches the deployment's batches
   * @param busy share of the machine's CPU in use meanwhile (all processes, /proc/stat)
   */
  record Run(
      double totalMs,
      double firstHostMs,
      double startedMs,
      double endedMs,
      int batches,
      double busy,
      HistoryProfile history) {}

  private ConfigBench(BenchServer server, AgentFleet fleet, Options options) {
    this.server = server;
    this.fleet = fleet;
    this.temporal = server.app.runtime().temporal().client();
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    BenchServer.require(
        Files.isRegularFile(EXAMPLE.resolve("Settings.java")),
        "run from the repository's root (bench/run does): " + EXAMPLE + " not found");
    BenchServer server = BenchServer.start();
    AgentFleet fleet = new AgentFleet(server, true);
    FleetBench.runThenCleanUp(
        server, fleet, "config", () -> new ConfigBench(server, fleet, options).run());
  }

  private void run() throws Exception {
    System.out.printf(
        "Cast config benchmark: hosts %s, %d measured rounds (+%d warm-up) per fleet size, %d cores,"
            + " embedded Temporal, load average %s%n",
        options.hosts(),
        options.runs(),
        options.warmup(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    System.out.println("hosts: " + fleet.mode());
    System.out.println(
        "app: examples/settings (one JVM per host, java Settings.java, compiled at each start; HTTP"
            + " health check every 1 s), its template plus version={{env \"CAST_VERSION\"}};"
            + " watch on "
            + KEY
            + " with wait min = max = 0s; each host asked every "
            + options.pollMs()
            + " ms");
    System.out.println(
        "a round: deploy a new on_change: rollout release (baseline), write (rolling), deploy a new"
            + " on_change: restart release (baseline), write (at once)");
    Map<Integer, Map<Kind, List<Run>>> results = new LinkedHashMap<>();
    for (int n : options.hosts()) {
      results.put(n, measure(n));
      report(n, results.get(n));
    }
    if (results.size() > 1) {
      summary(results);
    }
  }

  private Map<Kind, List<Run>> measure(int n) throws Exception {
    long start = System.nanoTime();
    int before = fleet.size();
    fleet.growTo(n);
    List<String> hosts = BenchHosts.names(n);
    String version = push("rollout");
    server.run(
        "/v1/apps/" + APP + "/deployments",
        Map.of("version", version, "hosts", hosts, "strategy", Map.of("maxParallel", n)));
    JsonNode watch =
        putJson(
            "/v1/apps/" + APP + "/config-watch",
            "{\"enabled\": true, \"wait\": {\"min\": \"0s\", \"max\": \"0s\"}}");
    BenchServer.require(
        watch.path("reads").path("keys").toString().contains(KEY),
        "the watch does not know the app reads " + KEY + ": " + watch);
    Map<String, String> urls = instanceUrls(hosts);
    awaitServed(urls, "version=" + version + "\n", System.nanoTime());
    System.out.printf(
        "%n%d host%s: %d more started, %s deployed to all at once, watch on, in %.1f s%n",
        n, n == 1 ? "" : "s", n - before, version, (System.nanoTime() - start) / 1e9);
    Map<Kind, List<Run>> runs = new LinkedHashMap<>();
    for (Kind kind : Kind.values()) {
      runs.put(kind, new ArrayList<>());
    }
    for (int round = 1; round <= options.warmup() + options.runs(); round++) {
      boolean measured = round > options.warmup();
      Map<Kind, List<Run>> into = measured ? runs : new LinkedHashMap<>();
      StringBuilder line =
          new StringBuilder(
              String.format(
                  "  %s %d:",
                  measured ? "round" : "warm-up", measured ? round - options.warmup() : round));
      for (String onChange : List.of("rollout", "restart")) {
        Run deploy = deploy(hosts, urls, push(onChange));
        Map<String, String> now = instanceUrls(hosts);
        BenchServer.require(
            now.equals(urls), "the instances moved with the deploy: " + urls + " → " + now);
        Kind kind = onChange.equals("rollout") ? Kind.ROLLING : Kind.AT_ONCE;
        Run write = write(n, urls, kind);
        into.computeIfAbsent(Kind.DEPLOY, k -> new ArrayList<>()).add(deploy);
        into.computeIfAbsent(kind, k -> new ArrayList<>()).add(write);
        line.append(
            String.format(
                " deploy %.1f s, %s %.1f s;",
                deploy.totalMs() / 1e3, kind.shortName, write.totalMs() / 1e3));
      }
      System.out.println(line);
    }
    alone.put(n, new double[] {startAlone(1), startAlone(n)});
    return runs;
  }

  /** Packs the settings example as a new release whose template says {@code on_change}. */
  private String push(String onChange) throws Exception {
    String version = nextVersion++ + ".0.0";
    Path source = server.dir.resolve("src-settings-" + version);
    Files.createDirectories(source.resolve("config"));
    Files.copy(EXAMPLE.resolve("Settings.java"), source.resolve("Settings.java"));
    String manifest = Files.readString(EXAMPLE.resolve("cast.yml"));
    BenchServer.require(
        manifest.contains("on_change: rollout")
            && manifest.contains(COMMAND.stream().map(a -> "\"" + a + "\"").toList().toString()),
        "examples/settings changed: its cast.yml is no longer what this bench expects");
    Files.writeString(
        source.resolve("cast.yml"),
        manifest.replace("on_change: rollout", "on_change: " + onChange));
    Files.writeString(
        source.resolve("config/app.properties.tmpl"),
        Files.readString(EXAMPLE.resolve("config/app.properties.tmpl"))
            + "version={{env \"CAST_VERSION\"}}\n");
    Path bundle = server.dir.resolve("settings-" + version + ".tar.gz");
    BundlePacker.pack(source, bundle, version);
    ApiClient.Reply pushed = server.api.pushBundle(APP, bundle);
    BenchServer.require(
        pushed.status() == 201, "push of " + version + " answered " + pushed.status());
    return version;
  }

  /** A deploy of {@code version}, one host at a time: POST → every host serving it. */
  private Run deploy(List<String> hosts, Map<String, String> urls, String version)
      throws Exception {
    long[] cpu = machineTicks();
    long t0 = System.nanoTime();
    long wall0 = System.currentTimeMillis();
    ApiClient.Reply started =
        server.api.postJson(
            "/v1/apps/" + APP + "/deployments", Map.of("version", version, "hosts", hosts));
    BenchServer.require(
        started.status() == 202, "deploy answered " + started.status() + " " + started.body());
    List<Double> served = awaitServed(urls, "version=" + version + "\n", t0);
    double busy = busy(cpu);
    return finished(started.body().path("id").asText(), served, wall0, busy);
  }

  /**
   * A write the watch turns into a config rollout: PUT the key, the clock starts at its 200, then
   * every host serving the new value.
   */
  private Run write(int n, Map<String, String> urls, Kind kind) throws Exception {
    Set<String> before = new HashSet<>();
    configRollouts().forEach(d -> before.add(d.path("id").asText()));
    String value = "v" + nextValue++ + "-" + n + "-" + kind.name().toLowerCase();
    long[] cpu = machineTicks();
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/v1/kv/" + KEY))
                .header("Authorization", server.api.authorization())
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(value))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long t0 = System.nanoTime();
    long wall0 = System.currentTimeMillis();
    BenchServer.require(put.statusCode() == 200, "PUT " + KEY + " answered " + put.statusCode());
    List<Double> served = awaitServed(urls, "greeting=" + value + "\n", t0);
    double busy = busy(cpu);
    List<JsonNode> started = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (started.isEmpty()) {
      for (JsonNode d : configRollouts()) {
        if (!before.contains(d.path("id").asText())) {
          started.add(d);
        }
      }
      BenchServer.require(
          !started.isEmpty() || System.nanoTime() < end,
          "every host serves " + value + " but no config rollout is found");
      Thread.sleep(50);
    }
    // The oldest new one: the watch's answer to this write.
    JsonNode rollout = started.get(started.size() - 1);
    BenchServer.require(
        "config-watch".equals(rollout.path("requestedBy").asText()),
        "the config rollout was not the watch's: " + rollout);
    Run run = finished(rollout.path("id").asText(), served, wall0, busy);
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode d : configRollouts()) {
      if (!before.contains(d.path("id").asText())) {
        all.add(d);
      }
    }
    if (all.size() > 1) {
      System.out.printf("  note: one write started %d config rollouts: %s%n", all.size(), all);
    }
    return run;
  }

  /**
   * The reference for what a host's restart costs: {@code count} copies of the service started at
   * once outside Cast (no agent, no health check), with the fleet's services idle; ms until the
   * last answers.
   */
  private double startAlone(int count) throws Exception {
    Path dir = server.dir.resolve("alone");
    Files.createDirectories(dir.resolve("config"));
    Files.copy(
        EXAMPLE.resolve("Settings.java"),
        dir.resolve("Settings.java"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("config/app.properties"), "greeting=alone\n");
    List<Process> started = new ArrayList<>();
    Map<String, String> urls = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < count; i++) {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          port = free.getLocalPort();
        }
        ProcessBuilder builder =
            new ProcessBuilder(COMMAND)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", String.valueOf(port));
        started.add(builder.start());
        urls.put("alone-" + i, "http://127.0.0.1:" + port + "/");
      }
      return awaitServed(urls, "greeting=alone\n", t0).stream().mapToDouble(d -> d).max().orElse(0);
    } finally {
      for (Process p : started) {
        p.destroyForcibly();
        p.waitFor();
      }
    }
  }

  /** Waits for the deployment to end (it must succeed) and reads its record and history. */
  private Run finished(String id, List<Double> served, long wall0, double busy) throws Exception {
    JsonNode done = server.api.awaitDeployment(id, TIMEOUT);
    BenchServer.require(
        "SUCCEEDED".equals(done.path("state").asText()),
        "deployment " + id + " ended " + done.path("state") + ": " + done.path("cause"));
    // The workflow's live view can say SUCCEEDED before its record is stamped with endedAt.
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (done.path("endedAt").isNull() || done.path("endedAt").isMissingNode()) {
      BenchServer.require(System.nanoTime() < end, "deployment " + id + " has no endedAt: " + done);
      Thread.sleep(20);
      done = server.api.get("/v1/deployments/" + id).body();
    }
    double startedMs = Instant.parse(done.path("startedAt").asText()).toEpochMilli() - wall0;
    double endedMs = Instant.parse(done.path("endedAt").asText()).toEpochMilli() - wall0;
    HistoryProfile history =
        HistoryProfile.ofAll(
            histories(done.path("workflowId").asText(), done.path("runId").asText()));
    return new Run(
        served.stream().mapToDouble(d -> d).max().orElse(0),
        served.stream().mapToDouble(d -> d).min().orElse(0),
        startedMs,
        endedMs,
        done.path("batches").asInt(),
        busy,
        history);
  }

  /** The deployment's workflow history, then each of its parts' (child workflows). */
  private List<List<HistoryEvent>> histories(String workflowId, String runId) {
    List<HistoryEvent> root = temporal.fetchHistory(workflowId, runId).getEvents();
    List<List<HistoryEvent>> all = new ArrayList<>();
    all.add(root);
    for (HistoryEvent event : root) {
      if (event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
        var child = event.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution();
        all.add(temporal.fetchHistory(child.getWorkflowId(), child.getRunId()).getEvents());
      }
    }
    return all;
  }

  /** The app's config rollouts, newest first. */
  private List<JsonNode> configRollouts() throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode d : server.api.get("/v1/apps/" + APP + "/deployments").body()) {
      if ("config".equals(d.path("kind").asText())) {
        found.add(d);
      }
    }
    return found;
  }

  /** Where each host's instance of the app answers, by host. */
  private Map<String, String> instanceUrls(List<String> hosts) throws Exception {
    Map<String, String> urls = new LinkedHashMap<>();
    JsonNode instances = server.api.get("/v1/apps/" + APP + "/instances").body();
    for (String host : hosts) {
      for (JsonNode i : instances) {
        if (host.equals(i.path("host").asText()) && !urls.containsKey(host)) {
          urls.put(
              host, "http://" + i.path("address").asText() + ":" + i.path("port").asInt() + "/");
        }
      }
      BenchServer.require(urls.containsKey(host), "no instance on " + host + ": " + instances);
    }
    return urls;
  }

  /**
   * Asks every host, each on its own thread, every {@code --poll-ms}, until its answer contains
   * {@code expected}; the ms after {@code t0} at which each did.
   */
  private List<Double> awaitServed(Map<String, String> urls, String expected, long t0)
      throws Exception {
    List<Future<Double>> hosts = new ArrayList<>();
    for (String url : urls.values()) {
      hosts.add(pollers.submit(() -> poll(url, expected, t0)));
    }
    List<Double> served = new ArrayList<>();
    try {
      for (Future<Double> host : hosts) {
        served.add(host.get());
      }
    } catch (ExecutionException e) {
      hosts.forEach(h -> h.cancel(true));
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
    return served;
  }

  private double poll(String url, String expected, long t0) throws InterruptedException {
    long end = t0 + TIMEOUT.toNanos();
    String last = null;
    while (true) {
      try {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        last = answer.statusCode() + " " + answer.body();
        if (answer.statusCode() == 200 && answer.body().contains(expected)) {
          return (System.nanoTime() - t0) / 1e6;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      BenchServer.require(
          System.nanoTime() < end,
          url + " did not serve " + expected.trim() + " within " + TIMEOUT + "; last: " + last);
      Thread.sleep(options.pollMs());
    }
  }

  private JsonNode putJson(String path, String json) throws Exception {
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", server.api.authorization())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    BenchServer.require(
        put.statusCode() == 200,
        "PUT " + path + " answered " + put.statusCode() + " " + put.body());
    return new ObjectMapper().readTree(put.body());
  }

  private String base() {
    return "http://127.0.0.1:" + server.port;
  }

  private void report(int n, Map<Kind, List<Run>> runs) {
    double deploy = median(runs.get(Kind.DEPLOY), Run::totalMs);
    System.out.printf(
        "%n%d host%s: until every host serves the change, ms (median, then each run)%n",
        n, n == 1 ? "" : "s");
    for (Kind kind : Kind.values()) {
      List<Run> list = runs.get(kind);
      StringBuilder each = new StringBuilder();
      list.forEach(r -> each.append(String.format(" %7.0f", r.totalMs())));
      System.out.printf("  %-38s %7.0f  |%s%n", kind.title, median(list, Run::totalMs), each);
    }
    System.out.printf(
        "  rolling / deploy %.2f   at once / deploy %.2f   (baseline: a plain deploy of a new"
            + " release of the same app to the same %d host%s, one at a time, REST → every host"
            + " serving it; %d runs, two per round)%n",
        median(runs.get(Kind.ROLLING), Run::totalMs) / deploy,
        median(runs.get(Kind.AT_ONCE), Run::totalMs) / deploy,
        n,
        n == 1 ? "" : "s",
        runs.get(Kind.DEPLOY).size());
    System.out.printf(
        "%n  where the time goes, medians in ms after the write's 200 (the deploy's POST)%n"
            + "  %-9s %8s %10s %10s %8s %7s %9s %6s  %s%n",
        "",
        "started",
        "first host",
        "last host",
        "ended",
        "batches",
        "ms/host",
        "busy",
        "host activities, ms per call: run (queue wait)");
    for (Kind kind : Kind.values()) {
      List<Run> list = runs.get(kind);
      double first = median(list, Run::firstHostMs);
      double last = median(list, Run::totalMs);
      System.out.printf(
          "  %-9s %8.0f %10.0f %10.0f %8.0f %7.0f %9s %5.0f%%  %s%n",
          kind.shortName,
          median(list, Run::startedMs),
          first,
          last,
          median(list, Run::endedMs),
          median(list, r -> r.batches()),
          n > 1 ? String.format("%.0f", (last - first) / (n - 1)) : "-",
          100 * median(list, Run::busy),
          activities(list));
    }
    System.out.println(
        "  started: the deployment's startedAt (a config rollout's: the watch saw the write,"
            + " waited 0 s and started it; below 0 when that was before the 200 reached the bench); first/last host: the first and the last host serving"
            + " the change; ended: its endedAt; ms/host: (last − first) / (N − 1); busy: the"
            + " machine's CPU in use (all processes) while waiting for the hosts");
    double[] reference = alone.get(n);
    System.out.printf(
        "  the service alone, outside Cast (java Settings.java started → first answer, the fleet"
            + " idle): one %.0f ms%s%n",
        reference[0], n > 1 ? String.format(", %d at once %.0f ms", n, reference[1]) : "");
    System.out.println("  each run: last host ms (first host ms, batches, machine busy)");
    for (Kind kind : Kind.values()) {
      StringBuilder each = new StringBuilder();
      for (Run r : runs.get(kind)) {
        each.append(
            String.format(
                "  %.0f (%.0f, %d, %.0f%%)",
                r.totalMs(), r.firstHostMs(), r.batches(), 100 * r.busy()));
      }
      System.out.printf("  %-9s%s%n", kind.shortName, each);
    }
    double busiest = 0;
    for (List<Run> list : runs.values()) {
      busiest = Math.max(busiest, median(list, Run::busy));
    }
    if (busiest >= 0.9) {
      System.out.printf(
          "  note: the machine's %d cores were %.0f%% busy (all processes) while the hosts were"
              + " awaited: these figures are bound by CPU here (each host's restart starts a JVM"
              + " that compiles Settings.java; other work on the machine counts too), not by Cast's"
              + " waiting%n",
          Runtime.getRuntime().availableProcessors(), 100 * busiest);
    }
  }

  /** Host activities of the runs' histories: per call, median over runs of run (queue wait) ms. */
  private static String activities(List<Run> runs) {
    Map<String, List<HistoryProfile.ActivityStats>> byType = new LinkedHashMap<>();
    for (Run r : runs) {
      r.history()
          .activities()
          .forEach(
              (type, stats) -> byType.computeIfAbsent(type, t -> new ArrayList<>()).add(stats));
    }
    StringBuilder text = new StringBuilder();
    for (String type :
        List.of("RenderConfig", "ApplyConfig", "StageRelease", "SwitchRelease", "AwaitHealthy")) {
      List<HistoryProfile.ActivityStats> stats = byType.get(type);
      if (stats == null) {
        continue;
      }
      double run = DeployBench.median(stats.stream().map(s -> s.runMs() / s.count()).toList());
      double wait = DeployBench.median(stats.stream().map(s -> s.waitMs() / s.count()).toList());
      text.append(String.format("%s %.0f (%.0f)  ", type, run, wait));
    }
    return text.toString().trim();
  }

  private void summary(Map<Integer, Map<Kind, List<Run>>> results) {
    System.out.printf("%nmedians in ms by fleet size%n  %-38s", "");
    results.keySet().forEach(n -> System.out.printf(" %8s", n + " host" + (n == 1 ? "" : "s")));
    System.out.println();
    for (Kind kind : Kind.values()) {
      System.out.printf("  %-38s", kind.title);
      results.values().forEach(r -> System.out.printf(" %8.0f", median(r.get(kind), Run::totalMs)));
      System.out.println();
    }
    System.out.println("load average at the end: " + loadAverage());
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
    return DeployBench.median(runs.stream().map(value::applyAsDouble).toList());
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The machine's CPU ticks since boot: {busy, total}, from /proc/stat ({0, 0} without it). */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** The share of the machine's CPU in use since {@code before}. */
  private static double busy(long[] before) {
    long[] now = machineTicks();
    long total = now[1] - before[1];
    return total <= 0 ? 0 : (double) (now[0] - before[0]) / total;
  }
}
