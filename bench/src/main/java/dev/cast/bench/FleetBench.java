package dev.cast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.cli.ApiClient;
import dev.cast.workflows.shared.DeploymentProgress;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Control-plane cost as the fleet grows: an app that is ready at once deployed to 1, 10 and 50
 * hosts (host agents sharing this machine, inside the bench JVM), all hosts in one batch ({@code
 * maxParallel} = N), and the largest N once more in batches of 10. Times REST accepted → SUCCEEDED,
 * reads each deployment's workflow history for its events and where the time went, and compares
 * T(largest N) with T(smallest N). Target: T(50) ≤ 3 × T(1). It prints figures; slowness is no
 * failure.
 *
 * <p>Options: {@code --hosts 1,10,50}; {@code --runs 5} per case; {@code --batch 10}, the smaller
 * maxParallel for the largest N (0: none); {@code --poll}, wait by polling {@code GET
 * /v1/deployments/{id}} every 20 ms as a client would (each poll is a workflow query) instead of
 * waiting on the workflow's result; {@code --no-sticky}, run the control worker without sticky
 * execution ({@code temporal.stickyExecution: false}), to see what replaying the history on every
 * workflow task costs; {@code --stub-hosts}, hosts that are only Temporal workers whose activities
 * answer at once, to measure the control plane without the hosts' own work on this machine's cores;
 * {@code --http-staging}, agents without their BitTorrent peers (bundles over HTTP); {@code
 * --batch-only}, the largest N in batches of {@code --batch} alone (warm-up deploys too); {@code
 * --warmup 2}, unmeasured deploys to every host before the measured ones (at least 2: both versions
 * are then on every host), so the JVM's JIT has compiled what a deploy runs, as in a control plane
 * that has been up for a while.
 */
public final class FleetBench {
  private static final String APP = "fleet";

  /** A process with no network, healthy once its check (which succeeds at once) has run. */
  private static final String MANIFEST =
      "name: fleet\nversion: 0.0.0\nservices:\n  app:\n"
          + "    command: [\"perl\", \"-e\", \"sleep\"]\n"
          + "    health: {command: [\"true\"]}\n"
          + "    stop: {signal: TERM, grace: 2s}\n";

  private static final List<String> VERSIONS = List.of("1.0.0", "2.0.0");

  /** How long the fleet is watched doing nothing but its services' health checks. */
  private static final Duration IDLE = Duration.ofSeconds(5);

  private final BenchServer server;
  private final BenchHosts fleet;
  private final WorkflowClient temporal;
  private final Options options;
  private String serving;

  record Options(
      List<Integer> hosts,
      int runs,
      int batch,
      boolean poll,
      boolean sticky,
      boolean stubs,
      boolean httpStaging,
      int warmup,
      boolean batchOnly) {
    private static final String USAGE =
        "--hosts 1,10,50 --runs 5 --batch 10 --poll --no-sticky --stub-hosts --http-staging"
            + " --warmup 2 --batch-only (all optional)";

    static Options parse(String[] args) {
      List<Integer> hosts = List.of(1, 10, 50);
      int runs = 5;
      int batch = 10;
      boolean poll = false;
      boolean sticky = true;
      boolean stubs = false;
      boolean httpStaging = false;
      int warmup = 2;
      boolean batchOnly = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--hosts" -> hosts = BenchArgs.hostCounts(args[++i]);
          case "--runs" -> runs = BenchArgs.positive(args[++i]);
          case "--batch" -> batch = Integer.parseInt(args[++i]);
          case "--poll" -> poll = true;
          case "--no-sticky" -> sticky = false;
          case "--stub-hosts" -> stubs = true;
          case "--http-staging" -> httpStaging = true;
          case "--warmup" -> warmup = Math.max(2, BenchArgs.positive(args[++i]));
          case "--batch-only" -> batchOnly = true;
          default ->
              throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + USAGE);
        }
      }
      return new Options(hosts, runs, batch, poll, sticky, stubs, httpStaging, warmup, batchOnly);
    }

    int smallest() {
      return hosts.get(0);
    }

    int largest() {
      return hosts.get(hosts.size() - 1);
    }
  }

  /** Deploy to {@code hosts} hosts, {@code maxParallel} at a time. */
  record Case(int hosts, int maxParallel) {
    int batches() {
      return (hosts + maxParallel - 1) / maxParallel;
    }
  }

  /**
   * One timed deployment: wall time, the bench JVM's CPU time (by thread group, see {@link
   * CpuProfile}), the threads it started and its workflow history.
   */
  record Run(
      double totalMs,
      double cpuMs,
      Map<String, Double> cpuByGroup,
      long threadsStarted,
      HistoryProfile history) {}

  private FleetBench(BenchServer server, BenchHosts fleet, Options options) {
    this.server = server;
    this.fleet = fleet;
    this.temporal = server.app.runtime().temporal().client();
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    if (!options.sticky()) {
      System.setProperty("dw.temporal.stickyExecution", "false");
    }
    BenchServer server = BenchServer.start();
    BenchHosts fleet =
        options.stubs() ? new StubHosts(server) : new AgentFleet(server, !options.httpStaging());
    runThenCleanUp(server, fleet, "fleet", () -> new FleetBench(server, fleet, options).run());
  }

  /** A benchmark's body. */
  interface Body {
    void run() throws Exception;
  }

  /**
   * Runs a benchmark on a fleet, then stops the fleet and the server and kills the services they
   * started, also on Ctrl-C (the services outlive their agents by design); exits with 1 when the
   * body failed.
   */
  static void runThenCleanUp(BenchServer server, BenchHosts fleet, String name, Body body) {
    AtomicBoolean cleaned = new AtomicBoolean();
    Runnable cleanup =
        () -> {
          if (cleaned.compareAndSet(false, true)) {
            cleanUp(server, fleet);
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(cleanup, name + "-bench-cleanup"));
    int code = 0;
    try {
      body.run();
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    } finally {
      cleanup.run();
    }
    System.exit(code);
  }

  private void run() throws Exception {
    for (String version : VERSIONS) {
      server.push(APP, MANIFEST, version);
    }
    System.out.printf(
        "Cast fleet benchmark: hosts %s, %d runs per case, %d cores, embedded Temporal, sticky"
            + " execution %s%n",
        options.hosts(),
        options.runs(),
        Runtime.getRuntime().availableProcessors(),
        options.sticky() ? "on" : "off (the default against the embedded server)");
    System.out.println("mode: " + fleet.mode());
    System.out.println(
        (options.stubs()
                ? "app: pushed as usual, nothing runs it; "
                : "app: one service (perl -e sleep, no network) with a command health check (true); ")
            + (options.poll()
                ? "waiting by polling GET /v1/deployments/{id} every 20 ms"
                : "waiting on the workflow's result, then one GET /v1/deployments/{id}"));
    Map<Case, List<Run>> results = new LinkedHashMap<>();
    Map<Integer, Map<String, Double>> idle = new LinkedHashMap<>();
    for (int n : options.hosts()) {
      long start = System.nanoTime();
      int before = fleet.size();
      fleet.growTo(n);
      List<String> hosts = BenchHosts.names(n);
      System.out.printf(
          "%d hosts: %d more started in %.1f s; warm-up: %d deploys to every host%n",
          n, n - before, (System.nanoTime() - start) / 1e9, options.warmup());
      boolean batched = n == options.largest() && options.batch() > 0 && options.batch() < n;
      for (int i = 0; i < options.warmup(); i++) {
        deploy(hosts, batched && options.batchOnly() ? options.batch() : n);
      }
      List<Case> cases = new ArrayList<>();
      if (!(batched && options.batchOnly())) {
        cases.add(new Case(n, n));
      }
      if (batched) {
        cases.add(new Case(n, options.batch()));
      }
      for (Case c : cases) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < options.runs(); i++) {
          runs.add(deploy(hosts, c.maxParallel()));
        }
        results.put(c, runs);
        System.out.printf(
            "  %d hosts, maxParallel %d: %d runs done%n", n, c.maxParallel(), runs.size());
      }
      if (!options.stubs()) {
        idle.put(n, idle());
      }
    }
    new FleetReport(results, idle).print(options.smallest(), options.largest());
  }

  /**
   * CPU per second of the fleet at rest (services running, health checks at their interval, agents'
   * heartbeats and reports), by thread group: what every deploy pays for as long as it takes.
   */
  private static Map<String, Double> idle() throws InterruptedException {
    Thread.sleep(1000); // the last deploy's stragglers: prunes' reports, reaped stops
    CpuProfile before = CpuProfile.now();
    long start = System.nanoTime();
    Thread.sleep(IDLE.toMillis());
    Map<String, Double> ms = CpuProfile.now().since(before);
    double seconds = (System.nanoTime() - start) / 1e9;
    ms.replaceAll((group, value) -> value / seconds);
    return ms;
  }

  /** Deploys the version not serving now (deploys alternate between the two) and times it. */
  private Run deploy(List<String> hosts, int maxParallel) throws Exception {
    String version = VERSIONS.get(0).equals(serving) ? VERSIONS.get(1) : VERSIONS.get(0);
    Map<String, Object> body =
        Map.of("version", version, "hosts", hosts, "strategy", Map.of("maxParallel", maxParallel));
    CpuProfile cpuBefore = CpuProfile.now();
    long start = System.nanoTime();
    ApiClient.Reply started = server.api.postJson("/v1/apps/" + APP + "/deployments", body);
    BenchServer.require(
        started.status() == 202, "deploy answered " + started.status() + " " + started.body());
    String id = started.body().path("id").asText();
    String workflowId = started.body().path("workflowId").asText();
    String runId = started.body().path("runId").asText();
    JsonNode done;
    if (options.poll()) {
      done = server.api.awaitDeployment(id, Duration.ofMinutes(10));
    } else {
      temporal
          .newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty())
          .getResult(10, TimeUnit.MINUTES, DeploymentProgress.class);
      done = server.api.get("/v1/deployments/" + id).body();
    }
    double total = (System.nanoTime() - start) / 1e6;
    CpuProfile cpuAfter = CpuProfile.now();
    BenchServer.require(
        "SUCCEEDED".equals(done.path("state").asText()),
        "deployment " + id + " ended " + done.path("state") + ": " + done.path("cause"));
    serving = version;
    return new Run(
        total,
        cpuAfter.processMs(cpuBefore),
        cpuAfter.since(cpuBefore),
        cpuAfter.threadsStarted(cpuBefore),
        HistoryProfile.ofAll(histories(workflowId, runId)));
  }

  /**
   * The deployment's workflow history, then the history of each of its parts (the child workflows
   * it started, found in its own history).
   */
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

  /** Stops the agents, kills every service they started and deletes the bench's temp dir. */
  static void cleanUp(BenchServer server, BenchHosts fleet) {
    try {
      fleet.close();
      server.stop();
      deleteTree(server.dir);
    } catch (Exception e) {
      System.err.println("fleet bench clean-up: " + e);
    }
  }

  /** Deletes a tree; tries again while the killed services' last writes land in it. */
  private static void deleteTree(Path dir) throws Exception {
    for (int attempt = 1; Files.exists(dir); attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException | UncheckedIOException e) {
        if (attempt >= 5) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
