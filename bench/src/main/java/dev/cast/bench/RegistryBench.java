package dev.cast.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The registry against etcd, side by side in one run. Cast's api and a single-member etcd each run
 * as a process of their own; wrk, a third process, loads each in turn over loopback with the same
 * connections and the same 256-byte values: Consul's {@code GET /v1/kv/<key>?raw} and {@code PUT
 * /v1/kv/<key>} against etcd's HTTP/JSON gateway ({@code POST /v3/kv/range}, {@code /v3/kv/put}).
 * Both sides acknowledge a write only once it is on disk: Cast after its SQLite commit (WAL,
 * synchronous FULL by default), etcd after its WAL fsync (its defaults). Rounds alternate which
 * goes first; each figure is the median of the rounds and each ratio is Cast/etcd, which holds on a
 * noisy machine where the absolutes do not.
 *
 * <p>Then the watch: N blocking reads of one key ({@code ?index=&wait=}) held by this process over
 * N connections, one write, and the time from sending the write until each read has its answer; and
 * 10,000 idle blocking reads, with the api's resident memory and threads before and while they wait
 * (then one write answers them all, timed the same way).
 *
 * <p>Options: {@code --seconds 5} a load, {@code --warmup 10} seconds of each load first, not
 * counted, {@code --rounds 3}, {@code --connections 64}, {@code --keys 1000}, {@code --watchers
 * 1000}, {@code --wake-rounds 3}, {@code --wake-warmup 10}, {@code --idle 10000}. Needs {@code wrk}
 * and {@code etcd} on the PATH (Debian: {@code apt-get install -y wrk etcd-server}). It prints
 * figures against the floors; slowness is no failure.
 */
public final class RegistryBench {
  private static final int VALUE_BYTES = 256;
  private static final String VALUE = "0123456789abcdef".repeat(VALUE_BYTES / 16);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Options(
      int seconds,
      int warmup,
      int rounds,
      int connections,
      int keys,
      int watchers,
      int wakeRounds,
      int wakeWarmup,
      int idle) {
    static Options parse(String[] args) {
      Map<String, Integer> given = new TreeMap<>();
      for (int i = 0; i < args.length; i++) {
        BenchServer.require(i + 1 < args.length, "option " + args[i] + " needs a value");
        given.put(args[i], BenchArgs.positive(args[++i]));
      }
      List<String> known =
          List.of(
              "--seconds",
              "--warmup",
              "--rounds",
              "--connections",
              "--keys",
              "--watchers",
              "--wake-rounds",
              "--wake-warmup",
              "--idle");
      given.keySet().forEach(k -> BenchServer.require(known.contains(k), "unknown option " + k));
      return new Options(
          given.getOrDefault("--seconds", 5),
          given.getOrDefault("--warmup", 10),
          given.getOrDefault("--rounds", 3),
          given.getOrDefault("--connections", 64),
          given.getOrDefault("--keys", 1000),
          given.getOrDefault("--watchers", 1000),
          given.getOrDefault("--wake-rounds", 3),
          given.getOrDefault("--wake-warmup", 10),
          given.getOrDefault("--idle", 10_000));
    }
  }

  /** One wrk run: requests/s, latency percentiles in ms, and the server's CPU µs a request. */
  record Load(double perSecond, double p50, double p99, double cpuMicros) {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    List<String> missing = Daemon.missing("wrk", "etcd");
    if (!missing.isEmpty()) {
      System.err.println(
          "bench/run registry needs wrk and etcd, missing: "
              + String.join(", ", missing)
              + "\n  Debian/Ubuntu: apt-get install -y wrk etcd-server");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("cast-registry-bench-");
    int code;
    try (Daemon cast = Daemon.cast(dir.resolve("cast"));
        Daemon etcd = Daemon.etcd(dir.resolve("etcd"))) {
      code = new RegistryBench(options, dir, cast, etcd).run();
    } finally {
      delete(dir);
    }
    System.exit(code);
  }

  private final Options options;
  private final Path script;
  private final Daemon cast;
  private final Daemon etcd;
  private final String token;

  private RegistryBench(Options options, Path dir, Daemon cast, Daemon etcd) throws IOException {
    this.options = options;
    this.cast = cast;
    this.etcd = etcd;
    this.script = dir.resolve("kv.lua");
    try (InputStream in = RegistryBench.class.getResourceAsStream("/registry/kv.lua")) {
      Files.copy(in, script);
    }
    this.token = Files.readString(dir.resolve("cast").resolve("admin-token")).trim();
  }

  private int run() throws Exception {
    System.out.printf(
        "Registry bench: %d cores; Cast api and etcd (%s) each a process of its own; "
            + "open files: bench %s, Cast %s%n",
        Runtime.getRuntime().availableProcessors(),
        etcdVersion(),
        Daemon.openFilesLimit(ProcessHandle.current().pid()),
        cast.openFilesLimit());
    seed();
    kv();
    wake();
    idle();
    return 0;
  }

  // ---- key/value throughput ----------------------------------------------------------------

  private void seed() throws Exception {
    for (int first = 1; first <= options.keys(); first += 64) {
      StringBuilder txn = new StringBuilder("[");
      StringBuilder put = new StringBuilder("{\"success\":[");
      for (int i = first; i < Math.min(options.keys() + 1, first + 64); i++) {
        String sep = i == first ? "" : ",";
        txn.append(sep)
            .append("{\"KV\":{\"Verb\":\"set\",\"Key\":\"")
            .append(key(i))
            .append("\",\"Value\":\"")
            .append(b64(VALUE))
            .append("\"}}");
        put.append(sep)
            .append("{\"requestPut\":{\"key\":\"")
            .append(b64(key(i)))
            .append("\",\"value\":\"")
            .append(b64(VALUE))
            .append("\"}}");
      }
      send(cast, "PUT", "/v1/txn", txn.append("]").toString());
      send(etcd, "POST", "/v3/kv/txn", put.append("]}").toString());
    }
  }

  private void kv() throws Exception {
    System.out.printf(
        "%nKV: wrk -t2 -c%d from another process, %d keys walked in turn, %d-byte values; "
            + "median of %d rounds of %d s each, after %d s of each load unmeasured (the api's JIT"
            + " compiles meanwhile)%n",
        options.connections(),
        options.keys(),
        VALUE_BYTES,
        options.rounds(),
        options.seconds(),
        options.warmup());
    System.out.println(
        "  reads:  Cast GET /v1/kv/<key>?raw (from memory) vs etcd POST /v3/kv/range"
            + " (linearizable, its default)");
    System.out.println(
        "  writes: Cast PUT /v1/kv/<key>, acknowledged after its SQLite commit vs"
            + " etcd POST /v3/kv/put, after its WAL fsync");
    String[] kinds = {"cast-get", "etcd-get", "cast-put", "etcd-put"};
    for (String kind : kinds) {
      wrk(kind, options.warmup());
    }
    Map<String, List<Load>> loads = new TreeMap<>();
    for (int r = 0; r < options.rounds(); r++) {
      // Alternate which server goes first, so neither always meets the machine warmer.
      for (String op : List.of("get", "put")) {
        List<String> order = new ArrayList<>(List.of("cast-" + op, "etcd-" + op));
        if (r % 2 == 1) {
          Collections.reverse(order);
        }
        for (String kind : order) {
          loads.computeIfAbsent(kind, k -> new ArrayList<>()).add(wrk(kind, options.seconds()));
        }
      }
    }
    System.out.printf("  %-14s %12s %12s %12s%n", "", "Cast", "etcd", "Cast/etcd");
    row("reads/s", loads, "get", Load::perSecond, "%12.0f", "floor ≥ 1.0, goal ≥ 1.0");
    row("  read p50 ms", loads, "get", Load::p50, "%12.2f", "lower is better");
    row("  read p99 ms", loads, "get", Load::p99, "%12.2f", "lower is better");
    row("  CPU µs/read", loads, "get", Load::cpuMicros, "%12.0f", "the server's CPU a request");
    row("writes/s", loads, "put", Load::perSecond, "%12.0f", "floor ≥ 0.5, goal ≥ 1.0");
    row("  write p50 ms", loads, "put", Load::p50, "%12.2f", "lower is better");
    row("  write p99 ms", loads, "put", Load::p99, "%12.2f", "lower is better");
    row("  CPU µs/write", loads, "put", Load::cpuMicros, "%12.0f", "the server's CPU a request");
  }

  private static void row(
      String what,
      Map<String, List<Load>> loads,
      String op,
      ToDoubleFunction<Load> figure,
      String format,
      String note) {
    double c = median(loads.get("cast-" + op), figure);
    double e = median(loads.get("etcd-" + op), figure);
    System.out.printf(
        "  %-14s " + format + " " + format + " %12.2f   (%s)%n", what, c, e, c / e, note);
  }

  private Load wrk(String kind, int seconds) throws Exception {
    Daemon target = kind.startsWith("cast") ? cast : etcd;
    List<String> command =
        List.of(
            "wrk",
            "-t2",
            "-c" + options.connections(),
            "-d" + seconds + "s",
            "--timeout",
            "30s",
            "-s",
            script.toString(),
            target.url(""),
            "--",
            kind,
            "" + options.keys(),
            "" + VALUE_BYTES,
            token);
    long cpu = target.cpuMillis();
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    BenchServer.require(wrk.waitFor() == 0, "wrk failed: " + out);
    cpu = target.cpuMillis() - cpu;
    String result =
        out.lines()
            .filter(l -> l.startsWith("RESULT "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no RESULT from wrk: " + out));
    Map<String, Long> f = new TreeMap<>();
    for (String pair : result.substring(7).trim().split(" ")) {
      String[] kv = pair.split("=");
      f.put(kv[0], Long.parseLong(kv[1]));
    }
    BenchServer.require(
        f.get("non2xx") == 0 && f.get("socket_errors") == 0,
        kind
            + ": "
            + f.get("non2xx")
            + " answers not 2xx, "
            + f.get("socket_errors")
            + " socket errors");
    return new Load(
        f.get("requests") * 1e6 / f.get("duration_us"),
        f.get("p50_us") / 1e3,
        f.get("p99_us") / 1e3,
        cpu * 1e3 / f.get("requests"));
  }

  // ---- watches -----------------------------------------------------------------------------

  private void wake() throws Exception {
    int n = options.watchers();
    System.out.printf(
        "%nWatch wake-up: %d blocking reads of one key (GET /v1/kv/watch/one?index=N&wait=60s),"
            + " each its own connection from this process; one PUT, on a connection of its own"
            + " from the same selector; time from sending the PUT until each read has its whole"
            + " answer%n",
        n);
    // As for the KV load: the api's JIT compiles the wake-up path meanwhile. A round runs it a
    // thousand times; HotSpot's C2 takes a method after some 10,000 calls, so after 2 rounds the
    // api answered watchers with code a long-running api would not run (p99 ~1.5× higher).
    for (int r = 0; r < options.wakeWarmup(); r++) {
      watchAndWrite("watch/one", n, Duration.ofSeconds(2));
    }
    System.out.printf("  (after %d unmeasured rounds)%n", options.wakeWarmup());
    List<Double> all = new ArrayList<>();
    for (int r = 1; r <= options.wakeRounds(); r++) {
      Woken woken = watchAndWrite("watch/one", n, Duration.ofSeconds(2));
      all.addAll(Arrays.stream(woken.millis()).boxed().toList());
      System.out.printf(
          "  round %d: %d of %d answered%s, %s; the PUT was acknowledged after %.1f ms%n",
          r,
          woken.millis().length,
          n,
          woken.otherStatuses().isEmpty() ? "" : " (not 200: " + woken.otherStatuses() + ")",
          summary(woken.millis()),
          woken.ackMillis());
    }
    double[] pooled = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "  all rounds: p50 %.1f ms, p99 %.1f ms   (floor p99 ≤ 50 ms, goal ≤ 10 ms)%n",
        Watchers.at(pooled, 0.50), Watchers.at(pooled, 0.99));
  }

  private void idle() throws Exception {
    int n = options.idle();
    System.out.printf(
        "%n%,d idle watchers: blocking reads of one key, each its own connection from this"
            + " process; the api's resident memory and threads%n",
        n);
    long rss = cast.rssKib();
    long threads = cast.threads();
    Map<String, Integer> names = cast.threadsByName();
    System.out.printf("  before:  RSS %6.1f MiB, %4d threads%n", rss / 1024.0, threads);
    Woken woken =
        watchAndWrite(
            "watch/idle",
            n,
            Duration.ofSeconds(10),
            () -> {
              long held = cast.rssKib();
              long heldThreads = cast.threads();
              System.out.printf(
                  "  waiting: RSS %6.1f MiB, %4d threads   (%+.1f MiB, %.1f KiB a watcher;"
                      + " %+d threads)%n",
                  held / 1024.0,
                  heldThreads,
                  (held - rss) / 1024.0,
                  (held - rss) / (double) n,
                  heldThreads - threads);
              System.out.printf(
                  "  threads that changed: %s%n", changed(names, cast.threadsByName()));
              System.out.printf("  thread dump meanwhile: %s%n", cast.workers());
            });
    System.out.printf(
        "  then one PUT: %d of %d answered%s, %s%n",
        woken.millis().length,
        n,
        woken.otherStatuses().isEmpty() ? "" : " (not 200: " + woken.otherStatuses() + ")",
        summary(woken.millis()));
  }

  record Woken(double[] millis, double ackMillis, String otherStatuses) {}

  private Woken watchAndWrite(String key, int n, Duration settle) throws Exception {
    return watchAndWrite(key, n, settle, () -> {});
  }

  interface Check {
    void run() throws Exception;
  }

  /**
   * Parks {@code n} blocking reads of {@code key}, gives the api {@code settle} to take them all,
   * runs {@code whileParked}, then writes the key once and waits for every answer.
   */
  private Woken watchAndWrite(String key, int n, Duration settle, Check whileParked)
      throws Exception {
    String index = put(key).headers().firstValue("X-Consul-Index").orElseThrow();
    try (Watchers watchers = Watchers.open(new InetSocketAddress("127.0.0.1", cast.port), n)) {
      watchers.send(
          "GET /v1/kv/"
              + key
              + "?index="
              + index
              + "&wait=60s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Consul-Token: "
              + token
              + "\r\n\r\n");
      int early = watchers.poll(settle);
      BenchServer.require(
          early == 0,
          early + " blocking reads answered before the write: " + watchers.otherStatuses());
      whileParked.run();
      long sent =
          watchers.write(
              "PUT /v1/kv/"
                  + key
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Consul-Token: "
                  + token
                  + "\r\nContent-Length: "
                  + VALUE.length()
                  + "\r\n\r\n"
                  + VALUE);
      watchers.poll(Duration.ofSeconds(30));
      BenchServer.require(
          watchers.writeStatus() == 200,
          "the PUT of " + key + " was answered " + watchers.writeStatus());
      double ack = (watchers.writeAnsweredAt() - sent) / 1e6;
      double[] millis =
          Arrays.stream(watchers.answerTimes()).mapToDouble(t -> (t - sent) / 1e6).toArray();
      return new Woken(millis, ack, watchers.otherStatuses());
    }
  }

  private static String summary(double[] sortedMillis) {
    if (sortedMillis.length == 0) {
      return "none answered";
    }
    return String.format(
        Locale.ROOT,
        "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
        Watchers.at(sortedMillis, 0.50),
        Watchers.at(sortedMillis, 0.99),
        sortedMillis[sortedMillis.length - 1]);
  }

  /** The thread names whose count changed, as "name before→after". */
  private static String changed(Map<String, Integer> before, Map<String, Integer> after) {
    List<String> out = new ArrayList<>();
    TreeMap<String, Integer> all = new TreeMap<>(before);
    after.forEach(all::putIfAbsent);
    for (String name : all.keySet()) {
      int b = before.getOrDefault(name, 0);
      int a = after.getOrDefault(name, 0);
      if (a != b) {
        out.add(name + " " + b + "→" + a);
      }
    }
    return out.isEmpty() ? "none" : String.join(", ", out);
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private HttpResponse<String> put(String key) throws Exception {
    return send(cast, "PUT", "/v1/kv/" + key, VALUE);
  }

  private HttpResponse<String> send(Daemon to, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(to.url(path)))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (to == cast) {
      request.header("X-Consul-Token", token);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    BenchServer.require(
        response.statusCode() == 200,
        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    return response;
  }

  private static String etcdVersion() throws Exception {
    Process p = new ProcessBuilder("etcd", "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().findFirst().orElse("etcd").replace("etcd Version: ", "etcd ");
  }

  private static String key(int i) {
    return String.format("bench/k%05d", i);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static double median(List<Load> loads, ToDoubleFunction<Load> f) {
    double[] values = loads.stream().mapToDouble(f).sorted().toArray();
    return values[values.length / 2];
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
