package dev.cast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.bundle.BundlePacker;
import dev.cast.cli.ApiClient;
import dev.cast.testkit.Fleet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * How fast a release reaches a fleet: N hosts, each an agent process in a network namespace of its
 * own, every link (each host's and the api's) capped with {@code tc} at C in each direction, a
 * bundle of S MiB that does not compress. Times a deployment from REST accepted until every host
 * has the release staged (fetched, verified, unpacked: the host's release marker is written), over
 * BitTorrent for each N asked for, and over plain HTTP from the api for the largest N. Prints those
 * times against the bound S/C (the time one host needs to receive the bundle through its own link),
 * what the api sent, how busy the links were until the bundle was on every host (the api's sending,
 * the hosts' receiving and sending, as shares of C: idle links show where the swarm waits), and the
 * ratios the targets name: BitTorrent ≤ 1.5 × S/C, HTTP fan-out ≥ 4 × BitTorrent at N = 8, and
 * BitTorrent roughly flat from the smallest N to the largest. It prints figures; slowness is no
 * failure.
 *
 * <p>Needs root and {@code ip netns} (the hosts' own addresses and links). Options: {@code --hosts
 * 2,8}, {@code --size 64} (MiB), {@code --rate 100mbit} ({@code tc}'s units), {@code --runs 1} per
 * case, {@code --warmup 2} unmeasured deploys (same size) to each new fleet first, {@code
 * --no-http} to skip the HTTP fan-out, {@code --logs DIR} to keep each host's agent log there.
 *
 * <p>The warm-up stands for a fleet whose agents have been up for a while, as in the fleet bench:
 * the first deploys to freshly started agent JVMs also pay for their JIT compiling the download,
 * hashing and unpacking code. At N = 8 on two cores the first deploy staged 1 to 1.5 s later than
 * the next, and the second still about 0.3 s later than the third. The warm-ups' figures are
 * printed, not counted.
 *
 * <p>One file of a little over 400 lines: the run, its measurement and its report read top to
 * bottom; the fleet and its network are in testkit.
 */
public final class DistributionBench {
  private static final String APP = "dist";

  /** A process with no network, healthy at once: the bench measures the bundle's journey. */
  private static final String MANIFEST =
      "name: dist\nversion: 0.0.0\nservices:\n  app:\n"
          + "    command: [\"perl\", \"-e\", \"sleep\"]\n"
          + "    health: {command: [\"true\"]}\n"
          + "    stop: {signal: TERM, grace: 2s}\n";

  record Options(
      List<Integer> hosts,
      int sizeMiB,
      String rate,
      int runs,
      int warmup,
      boolean http,
      Path logs) {
    private static final String USAGE =
        "--hosts 2,8 --size 64 --rate 100mbit --runs 1 --warmup 2 --no-http --logs DIR (all"
            + " optional)";

    static Options parse(String[] args) {
      List<Integer> hosts = List.of(2, 8);
      int size = 64;
      String rate = "100mbit";
      int runs = 1;
      int warmup = 2;
      boolean http = true;
      Path logs = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--hosts" -> hosts = BenchArgs.hostCounts(args[++i]);
          case "--size" -> size = BenchArgs.positive(args[++i]);
          case "--rate" -> rate = args[++i];
          case "--runs" -> runs = BenchArgs.positive(args[++i]);
          case "--warmup" -> warmup = BenchArgs.nonNegative(args[++i]);
          case "--no-http" -> http = false;
          case "--logs" -> logs = Path.of(args[++i]);
          default ->
              throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + USAGE);
        }
      }
      return new Options(hosts, size, rate, runs, warmup, http, logs);
    }

    int largest() {
      return hosts.get(hosts.size() - 1);
    }

    /**
     * The link rate in bits per second, from {@code tc}'s notation (kbit, mbit, gbit: powers of
     * 10).
     */
    double bitsPerSecond() {
      String r = rate.toLowerCase(Locale.ROOT);
      for (String[] unit : new String[][] {{"gbit", "1e9"}, {"mbit", "1e6"}, {"kbit", "1e3"}}) {
        if (r.endsWith(unit[0])) {
          return Double.parseDouble(r.substring(0, r.length() - unit[0].length()))
              * Double.parseDouble(unit[1]);
        }
      }
      throw new IllegalArgumentException(
          "--rate: use kbit, mbit or gbit, e.g. 100mbit; was " + rate);
    }
  }

  /**
   * One measured case.
   *
   * @param fetchedSeconds when the last host had the whole bundle, checked, in its cache
   * @param stagedSeconds when the last host had the release staged (unpacked as well)
   * @param cpuBusy the share of the machine's CPU time (all cores) that was busy until then: the
   *     api, the hosts, their links and everything else on this machine
   */
  record Result(
      String mode,
      int hosts,
      double firstFetchedSeconds,
      double fetchedSeconds,
      double stagedSeconds,
      double apiSentBundles,
      double cpuBusy) {}

  private final BenchServer server;
  private final Options options;
  private final long bundleBytes;
  private int versions;

  private DistributionBench(BenchServer server, Options options) {
    this.server = server;
    this.options = options;
    this.bundleBytes = (long) options.sizeMiB() << 20;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    System.setProperty(Fleet.ISOLATION_PROPERTY, "required");
    BenchServer server = BenchServer.start();
    try {
      new DistributionBench(server, options).run();
    } finally {
      server.stop();
      deleteTree(server.dir); // bundles of S MiB, one copy per host and run
    }
    System.exit(0);
  }

  private void run() throws Exception {
    double bound = bundleBytes * 8 / options.bitsPerSecond();
    System.out.printf(
        "distribution: a %d MiB bundle, every link (the api's and each host's) capped at %s each"
            + " way; bound S/C = %.2f s%n",
        options.sizeMiB(), options.rate(), bound);
    List<Result> results = new ArrayList<>();
    for (int n : options.hosts()) {
      results.addAll(measure("bittorrent", n));
    }
    if (options.http()) {
      results.addAll(measure("http", options.largest()));
    }

    System.out.printf(
        "%n%-11s %5s %16s %7s %12s %7s %18s%n",
        "mode", "hosts", "bundle on all", "× S/C", "all staged", "× S/C", "api sent (bundles)");
    for (Result r : results) {
      System.out.printf(
          "%-11s %5d %14.2f s %7.2f %10.2f s %7.2f %18.2f%n",
          r.mode(),
          r.hosts(),
          r.fetchedSeconds(),
          r.fetchedSeconds() / bound,
          r.stagedSeconds(),
          r.stagedSeconds() / bound,
          r.apiSentBundles());
    }
    for (String what : List.of("bundle on all hosts", "staged on all hosts")) {
      ToDoubleFunction<Result> time =
          what.startsWith("bundle") ? Result::fetchedSeconds : Result::stagedSeconds;
      double bt = median(results, "bittorrent", options.largest(), time);
      double btSmall = median(results, "bittorrent", options.hosts().get(0), time);
      System.out.printf(
          "%n%s: BitTorrent at N=%d takes %.2f × S/C (target ≤ 1.5: %s)%n",
          what, options.largest(), bt / bound, bt / bound <= 1.5 ? "met" : "NOT met");
      if (options.http()) {
        double http = median(results, "http", options.largest(), time);
        System.out.printf(
            "%s: HTTP fan-out / BitTorrent at N=%d = %.2f (target ≥ 4: %s)%n",
            what, options.largest(), http / bt, http / bt >= 4 ? "met" : "NOT met");
      }
      System.out.printf(
          "%s: BitTorrent N=%d / N=%d = %.2f (target: roughly flat)%n",
          what, options.largest(), options.hosts().get(0), bt / btSmall);
    }
  }

  /** Runs {@code options.runs} deployments of fresh releases to a new fleet of {@code n} hosts. */
  private List<Result> measure(String mode, int n) throws Exception {
    boolean torrent = mode.equals("bittorrent");
    List<Result> results = new ArrayList<>();
    try (Fleet fleet =
        Fleet.builder()
            .classpath(System.getProperty("java.class.path"))
            .apiPort(server.port)
            .temporal(server.app.runtime().temporal().target())
            .token(server.app.runtime().agentToken())
            .readToken(server.api.authorization().substring("Bearer ".length()))
            .baseDir(server.dir.resolve("fleet-" + mode + "-" + n))
            .agentSettings("torrent:\n  enabled: " + torrent + "\n")
            // The JVM's defaults, as `cast agent` runs: the test fleet's quick-start flags (C1
            // only) make the bundle's sha256 several times slower, which this would measure.
            .jvmArgs()
            .build()) {
      Map<String, Path> hosts = new LinkedHashMap<>();
      for (int i = 1; i <= n; i++) {
        Fleet.Host host = fleet.add((torrent ? "bt" : "http") + n + "-" + i);
        fleet.limit(host, options.rate());
        hosts.put(host.name(), host.dataDir());
      }
      fleet.limitApi(options.rate());
      for (Fleet.Host host : fleet.hosts()) {
        fleet.awaitRegistered(host, Duration.ofMinutes(2));
      }
      for (int i = 1; i <= options.warmup(); i++) {
        Result r = deploy(mode, fleet, hosts);
        System.out.printf(
            "  %s to %d hosts, warm-up %d (not counted): all staged after %.2f s%n",
            mode, n, i, r.stagedSeconds());
      }
      for (int run = 1; run <= options.runs(); run++) {
        Result r = deploy(mode, fleet, hosts);
        System.out.printf(
            "  %s to %d hosts, run %d: the bundle was on the first host after %.2f s, on all after"
                + " %.2f s; all staged after %.2f s; the api sent %.2f bundles; the machine's CPUs"
                + " were %.0f%% busy%n",
            mode,
            n,
            run,
            r.firstFetchedSeconds(),
            r.fetchedSeconds(),
            r.stagedSeconds(),
            r.apiSentBundles(),
            100 * r.cpuBusy());
        results.add(r);
      }
      if (options.logs() != null) {
        Files.createDirectories(options.logs());
        for (Fleet.Host host : fleet.hosts()) {
          Files.copy(
              host.logFile(),
              options.logs().resolve(host.name() + ".log"),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return results;
  }

  /**
   * Pushes a fresh release, deploys it to {@code hosts} (name to data dir) at once, and times their
   * staging, and when each host's bundle cache got the whole bundle.
   */
  private Result deploy(String mode, Fleet fleet, Map<String, Path> hosts) throws Exception {
    String version = "1." + ++versions + ".0";
    Path bundle = bundle(version);
    ApiClient.Reply pushed = server.api.pushBundle(APP, bundle);
    BenchServer.require(
        pushed.status() / 100 == 2, "push answered " + pushed.status() + " " + pushed.body());
    long size = pushed.body().path("size").asLong();
    String cached = "bundles/" + pushed.body().path("sha256").asText() + ".tar.gz";
    // Written last by staging, after the unpack: the release is on the host, ready to switch.
    String marker = "apps/" + APP + "/releases/." + version + ".sha256";
    Map<String, Double> fetched = new LinkedHashMap<>();
    Map<String, Double> stagedAt = new LinkedHashMap<>();
    JsonNode before = server.api.get("/v1/distribution").body();

    Map<String, long[]> linksAtStart = fleet.linkBytes();
    Map<String, long[]> linksAtFetched = null;
    long[] cpuAtStart = machineCpu();
    long start = System.nanoTime();
    ApiClient.Reply started =
        server.api.postJson(
            "/v1/apps/" + APP + "/deployments",
            Map.of(
                "version",
                version,
                "hosts",
                List.copyOf(hosts.keySet()),
                "strategy",
                Map.of("maxParallel", hosts.size()),
                "reason",
                "distribution benchmark"));
    BenchServer.require(
        started.status() == 202, "deploy answered " + started.status() + " " + started.body());
    String id = started.body().path("id").asText();
    double staged = -1;
    double busy = 0;
    long deadline = start + Duration.ofMinutes(10).toNanos();
    long nextCheck = 0;
    // The hosts' files are watched every 20 ms (cheap, and exact to that); the deployment is asked
    // only twice a second, to stop on a failure: each answer is a query to the workflow.
    while (staged < 0) {
      for (Map.Entry<String, Path> host : hosts.entrySet()) {
        double now = (System.nanoTime() - start) / 1e9;
        if (!fetched.containsKey(host.getKey()) && Files.exists(host.getValue().resolve(cached))) {
          fetched.put(host.getKey(), now);
        }
        if (!stagedAt.containsKey(host.getKey()) && Files.exists(host.getValue().resolve(marker))) {
          stagedAt.put(host.getKey(), now);
        }
      }
      if (linksAtFetched == null && fetched.size() == hosts.size()) {
        linksAtFetched = fleet.linkBytes();
      }
      if (stagedAt.size() == hosts.size()) {
        staged = (System.nanoTime() - start) / 1e9;
        long[] cpuAtStaged = machineCpu();
        busy = (cpuAtStaged[0] - cpuAtStart[0]) / (double) (cpuAtStaged[1] - cpuAtStart[1]);
      } else if (System.nanoTime() >= nextCheck) {
        nextCheck = System.nanoTime() + Duration.ofMillis(500).toNanos();
        JsonNode view = server.api.get("/v1/deployments/" + id).body();
        BenchServer.require(
            !view.path("state").asText().matches("FAILED|ROLLED_BACK|CANCELLED")
                && System.nanoTime() < deadline,
            "deployment " + id + " did not stage: " + view);
      } else {
        Thread.sleep(20);
      }
    }
    JsonNode done = server.api.awaitDeployment(id, Duration.ofMinutes(5));
    BenchServer.require(
        "SUCCEEDED".equals(done.path("state").asText()),
        "deployment " + id + " ended " + done.path("state") + ": " + done.path("cause"));
    Thread.sleep(1500); // libtorrent updates its transfer counters once a second
    JsonNode after = server.api.get("/v1/distribution").body();
    long seeded =
        after.path("seederUploadedBytes").asLong() - before.path("seederUploadedBytes").asLong();
    long served =
        after.path("httpBundleBytesServed").asLong()
            - before.path("httpBundleBytesServed").asLong();
    long sent = seeded + served;
    System.out.printf(
        "    the api seeded %.2f and served %.2f bundles over HTTP%n",
        seeded / (double) size, served / (double) size);
    // A host whose cache file the poll never saw had it by the time it was staged.
    double first = fetched.values().stream().mapToDouble(Double::doubleValue).min().orElse(staged);
    double last =
        fetched.size() == hosts.size()
            ? fetched.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow()
            : staged;
    if (linksAtFetched != null) {
      printLinkUse(linksAtStart, linksAtFetched, hosts.keySet(), last);
    }
    return new Result(mode, hosts.size(), first, last, staged, sent / (double) size, busy);
  }

  /**
   * How busy the links were from the deploy's start until the bundle was on every host, as shares
   * of C: what the api's link sent, and what the hosts' links received and sent on average. Frames
   * with their headers count, as {@code tc} counts them against the cap.
   */
  private void printLinkUse(
      Map<String, long[]> before,
      Map<String, long[]> after,
      Collection<String> hosts,
      double seconds) {
    double capacity = options.bitsPerSecond() / 8 * seconds;
    double received = 0;
    double sent = 0;
    for (String host : hosts) {
      received += (after.get(host)[0] - before.get(host)[0]) / capacity;
      sent += (after.get(host)[1] - before.get(host)[1]) / capacity;
    }
    // The switch's port towards the api receives what the api sends.
    double api = (after.get("api")[1] - before.get("api")[1]) / capacity;
    System.out.printf(
        "    links until the bundle was on all hosts: the api's sent at %.0f%% of C; the hosts'"
            + " received at %.0f%% and sent at %.0f%% on average%n",
        100 * api, 100 * received / hosts.size(), 100 * sent / hosts.size());
  }

  /** A bundle of the app with {@code options.sizeMiB} of random bytes beside it. */
  private Path bundle(String version) throws Exception {
    Path source = Files.createDirectories(server.dir.resolve("src-" + version));
    Files.writeString(source.resolve("cast.yml"), MANIFEST);
    Random random = new Random(version.hashCode());
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(source.resolve("blob.bin"))) {
      for (int i = 0; i < options.sizeMiB(); i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    Path bundle = server.dir.resolve(APP + "-" + version + ".tar.gz");
    BundlePacker.pack(source, bundle, version);
    return bundle;
  }

  /** Busy and total jiffies of all CPUs so far, from {@code /proc/stat}. */
  private static long[] machineCpu() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static double median(
      List<Result> results, String mode, int hosts, ToDoubleFunction<Result> time) {
    double[] times =
        results.stream()
            .filter(r -> r.mode().equals(mode) && r.hosts() == hosts)
            .mapToDouble(time)
            .sorted()
            .toArray();
    return times[times.length / 2];
  }
}
