package dev.cast.bench;

import dev.cast.bench.FleetBench.Case;
import dev.cast.bench.FleetBench.Run;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Prints the fleet benchmark's figures: the table, the ratio, and where the time went. */
final class FleetReport {
  private static final double TARGET_RATIO = 3.0;

  /** Activity types in the order a deploy runs them. */
  private static final List<String> ACTIVITY_ORDER =
      List.of(
          "RecordDeployment",
          "StageRelease",
          "SwitchRelease",
          "ActivateRelease",
          "AwaitHealthy",
          "RunHook",
          "RecordActivation",
          "RecordActivations",
          "PruneReleases");

  /** What the hosts' own work costs: their agents' threads and the processes they start. */
  private static final List<String> HOST_SIDE =
      List.of(
          "agents: host activities",
          "agents: supervisors, process reapers",
          "agents: api calls, heartbeats",
          CpuProfile.CHILDREN);

  private final Map<Case, List<Run>> results;
  private final Map<Integer, Map<String, Double>> idle;

  /**
   * @param idle per number of hosts, the idle fleet's CPU by group, ms per second
   */
  FleetReport(Map<Case, List<Run>> results, Map<Integer, Map<String, Double>> idle) {
    this.results = results;
    this.idle = idle;
  }

  void print(int smallest, int largest) {
    table();
    histories();
    ratio(smallest, largest);
    phases();
    cpu();
    idle();
    activities();
  }

  private void table() {
    System.out.printf(
        "%n%5s %11s %7s %10s %8s %9s %7s %11s%n",
        "hosts",
        "maxParallel",
        "batches",
        "median ms",
        "p90 ms",
        "ms/batch",
        "events",
        "events/host");
    results.forEach(
        (c, runs) ->
            System.out.printf(
                "%5d %11d %7d %10.0f %8.0f %9.0f %7.0f %11.1f%n",
                c.hosts(),
                c.maxParallel(),
                c.batches(),
                median(runs, Run::totalMs),
                DeployBench.percentile(values(runs, Run::totalMs), 0.9),
                median(runs, r -> r.history().switchingMs()) / c.batches(),
                median(runs, r -> r.history().events()),
                median(runs, r -> r.history().events()) / c.hosts()));
    System.out.println(
        "ms/batch: the batches' part of the workflow (first SwitchRelease scheduled → last"
            + " RecordActivation done) / batches");
  }

  /**
   * Events per workflow: a deployment runs in parts (child workflows), and Temporal refuses a
   * history past 51,200 events (warns at 10,240), so what matters is the largest history, not the
   * sum.
   */
  private void histories() {
    System.out.printf(
        "%nhistories per deployment (largest over the runs)%n%5s %11s %10s %7s %12s %13s%n",
        "hosts", "maxParallel", "workflows", "parent", "largest part", "events, all");
    results.forEach(
        (c, runs) ->
            System.out.printf(
                "%5d %11d %10.0f %7.0f %12.0f %13.0f%n",
                c.hosts(),
                c.maxParallel(),
                max(runs, r -> r.history().workflows()),
                max(runs, r -> r.history().rootEvents()),
                max(runs, r -> r.history().maxPartEvents()),
                max(runs, r -> r.history().events())));
    System.out.println(
        "workflows: the deployment's own and its parts (child workflows); parent: the events of"
            + " the deployment's own history; largest part: of its largest child's");
  }

  private void ratio(int smallest, int largest) {
    List<Run> one = results.get(new Case(smallest, smallest));
    if (one == null || largest == smallest) {
      return;
    }
    results.forEach(
        (c, runs) -> {
          if (c.hosts() != largest || largest == smallest) {
            return;
          }
          double ratio = median(runs, Run::totalMs) / median(one, Run::totalMs);
          String mp = c.maxParallel() == largest ? "N" : String.valueOf(c.maxParallel());
          System.out.printf(
              "%nT(%d)/T(%d) with maxParallel = %s: %.2f× (%.0f ms / %.0f ms)%s%n",
              largest,
              smallest,
              mp,
              ratio,
              median(runs, Run::totalMs),
              median(one, Run::totalMs),
              c.maxParallel() == largest
                  ? String.format(
                      " (target ≤ %.0f×): %s",
                      TARGET_RATIO, ratio <= TARGET_RATIO ? "met" : "not met")
                  : "");
        });
  }

  private static double max(List<Run> runs, ToDoubleFunction<Run> value) {
    return runs.stream().mapToDouble(value).max().orElse(0);
  }

  private void phases() {
    System.out.printf(
        "%nwhere the time goes, medians in ms%n%5s %4s %7s %8s %8s %8s %8s %8s %8s %7s %9s %9s"
            + " %10s%n",
        "hosts",
        "mp",
        "total",
        "outside",
        "workflow",
        "staging",
        "batches",
        "pruning",
        "cpu",
        "wfTasks",
        "wfTask ms",
        "wfTask/ea",
        "hostActs/h");
    results.forEach(
        (c, runs) ->
            System.out.printf(
                "%5d %4d %7.0f %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %7.0f %9.0f %9.1f %10.1f%n",
                c.hosts(),
                c.maxParallel(),
                median(runs, Run::totalMs),
                median(runs, r -> r.totalMs() - r.history().workflowMs()),
                median(runs, r -> r.history().workflowMs()),
                median(runs, r -> r.history().stagingMs()),
                median(runs, r -> r.history().switchingMs()),
                median(runs, r -> r.history().pruningMs()),
                median(runs, Run::cpuMs),
                median(runs, r -> r.history().workflowTasks()),
                median(runs, r -> r.history().workflowTaskMs()),
                median(runs, r -> r.history().workflowTaskMs() / r.history().workflowTasks()),
                median(runs, r -> r.history().hostActivitiesPerHost(c.hosts()))));
    System.out.println(
        "outside: total − workflow run (REST start, waiting, final GET); staging, batches, pruning:"
            + " the workflow's phases; cpu: the bench JVM's CPU during the deploy (services and"
            + " health checks not counted); wfTasks: workflow tasks, wfTask ms: their time on the"
            + " control worker, summed (each waits for the one before), wfTask/ea: per task;"
            + " hostActs/h: activities each host ran");
  }

  private void cpu() {
    System.out.printf("%nCPU per deploy by thread group, medians in ms%n%-38s", "");
    results.keySet().forEach(c -> System.out.printf(" %12s", c.hosts() + "/" + c.maxParallel()));
    System.out.println();
    for (String group : CpuProfile.GROUPS) {
      System.out.printf("%-38s", group);
      results.values().forEach(runs -> System.out.printf(" %12.0f", median(runs, cpu(group))));
      System.out.println();
    }
    System.out.printf("%-38s", "host side per host (agents + children)");
    results.forEach(
        (c, runs) -> System.out.printf(" %12.1f", median(runs, r -> hostSide(r) / c.hosts())));
    System.out.printf("%n%-38s", "threads started");
    results
        .values()
        .forEach(runs -> System.out.printf(" %12.0f", median(runs, Run::threadsStarted)));
    System.out.println();
    int cores = Runtime.getRuntime().availableProcessors();
    results.forEach(
        (c, runs) -> {
          double others = median(runs, cpu(CpuProfile.OTHERS));
          double capacity = median(runs, Run::totalMs) * cores;
          if (others > 0.1 * capacity) {
            System.out.printf(
                "warning: other processes took %.0f%% of the machine during %d/%d: its figures are"
                    + " disturbed%n",
                100 * others / capacity, c.hosts(), c.maxParallel());
          }
        });
  }

  /** The idle fleet's host-side CPU, ms per second, for the whole fleet of {@code hosts}. */
  private double idleHostSide(int hosts) {
    Map<String, Double> ms = idle.getOrDefault(hosts, Map.of());
    return HOST_SIDE.stream().mapToDouble(g -> ms.getOrDefault(g, 0.0)).sum();
  }

  private static double hostSide(Run run) {
    return HOST_SIDE.stream().mapToDouble(g -> run.cpuByGroup().getOrDefault(g, 0.0)).sum();
  }

  /** The fleet at rest: what health checks, heartbeats and reports cost per host and second. */
  private void idle() {
    if (idle.isEmpty()) {
      return;
    }
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("agents: host activities", "activities");
    shown.put("agents: supervisors, process reapers", "supervisors");
    shown.put("agents: api calls, heartbeats", "api calls");
    shown.put(CpuProfile.CHILDREN, "children");
    shown.put("api (Jetty)", "api (Jetty)");
    shown.put(CpuProfile.TORRENT, "BitTorrent");
    shown.put(CpuProfile.GC, "GC");
    shown.put(CpuProfile.OTHER, "JVM other");
    System.out.printf("%nidle fleet (services up, nothing deployed), CPU ms per second per host%n");
    System.out.printf("%5s", "hosts");
    shown.values().forEach(label -> System.out.printf(" %11s", label));
    System.out.printf(" %11s%n", "host side");
    idle.forEach(
        (n, ms) -> {
          System.out.printf("%5d", n);
          shown.keySet().forEach(g -> System.out.printf(" %11.2f", ms.getOrDefault(g, 0.0) / n));
          System.out.printf(" %11.2f%n", idleHostSide(n) / n);
        });
    System.out.println("host side: activities + supervisors + api calls + children");
  }

  private static ToDoubleFunction<Run> cpu(String group) {
    return r -> r.cpuByGroup().getOrDefault(group, 0.0);
  }

  private void activities() {
    System.out.printf(
        "%nactivities of the median run: count × mean queue wait ms / mean run ms%n%5s %4s",
        "hosts", "mp");
    List<String> types =
        results.values().stream()
            .flatMap(List::stream)
            .flatMap(r -> r.history().activities().keySet().stream())
            .distinct()
            .sorted(Comparator.comparing(FleetReport::order))
            .toList();
    for (String type : types) {
      System.out.printf(" %20s", type);
    }
    System.out.println();
    results.forEach(
        (c, runs) -> {
          Run mid = medianRun(runs);
          System.out.printf("%5d %4d", c.hosts(), c.maxParallel());
          for (String type : types) {
            var stats = mid.history().activities().get(type);
            System.out.printf(
                " %20s",
                stats == null
                    ? "-"
                    : String.format(
                        "%d × %.0f / %.0f",
                        stats.count(),
                        stats.waitMs() / stats.count(),
                        stats.runMs() / stats.count()));
          }
          System.out.println();
        });
  }

  private static int order(String activity) {
    int i = ACTIVITY_ORDER.indexOf(activity);
    return i < 0 ? ACTIVITY_ORDER.size() : i;
  }

  private static Run medianRun(List<Run> runs) {
    List<Run> sorted = runs.stream().sorted(Comparator.comparingDouble(Run::totalMs)).toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static List<Double> values(List<Run> runs, ToDoubleFunction<Run> value) {
    return runs.stream().map(value::applyAsDouble).toList();
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
    return DeployBench.median(values(runs, value));
  }
}
