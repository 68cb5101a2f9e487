package dev.cast.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A server the registry bench runs as a process of its own (a Cast api, an etcd), so its threads,
 * memory and CPU are its own and the load comes from another process, as in production.
 */
final class Daemon implements AutoCloseable {
  final String name;
  final Process process;
  final int port;
  final Path log;

  private Daemon(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * A Cast api ({@code cast server}) with its data in {@code dir}: this JVM's classpath holds the
   * cli and everything it needs. No agent: the api alone is measured. Default JVM options, as
   * {@code ./cast server} starts it, plus {@code CAST_JAVA_OPTS} as there.
   */
  static Daemon cast(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("config.yml");
    try (var in = Daemon.class.getResourceAsStream("/bench-config.yml")) {
      Files.copy(in, config);
    }
    int port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    // As ./cast does: CAST_JAVA_OPTS, e.g. -XX:StartFlightRecording=... to profile the api.
    String options = System.getenv().getOrDefault("CAST_JAVA_OPTS", "").trim();
    if (!options.isEmpty()) {
      command.addAll(List.of(options.split("\\s+")));
    }
    command.addAll(
        List.of(
            "-Ddw.dataDir=" + dir,
            "-Ddw.agent.enabled=false",
            "-Ddw.server.applicationConnectors[0].port=" + port,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.cast.cli.Main",
            "server",
            config.toString()));
    Daemon cast = start("cast", command, port, dir.resolve("cast.log"));
    Path tokenFile = dir.resolve("admin-token");
    cast.await(
        () -> Files.exists(tokenFile) ? Files.readString(tokenFile).trim() : null,
        token -> status(cast.url("/v1/kv/bench-ready"), token) == 404);
    return cast;
  }

  /**
   * A single-member etcd with its data in {@code dir}, at its defaults but for its addresses: it
   * syncs its log before it answers a put.
   */
  static Daemon etcd(Path dir) throws Exception {
    int port = freePort();
    int peer = freePort();
    String client = "http://127.0.0.1:" + port;
    String peers = "http://127.0.0.1:" + peer;
    List<String> command =
        List.of(
            "etcd",
            "--name=bench",
            "--data-dir=" + dir,
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peers,
            "--initial-advertise-peer-urls=" + peers,
            "--initial-cluster=bench=" + peers,
            "--logger=zap",
            "--log-level=warn");
    Daemon etcd = start("etcd", command, port, dir.resolveSibling("etcd.log"));
    etcd.await(() -> "", none -> status(etcd.url("/health"), null) == 200);
    return etcd;
  }

  private static Daemon start(String name, List<String> command, int port, Path log)
      throws IOException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Daemon(name, process, port, log);
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  private <T> void await(Probe<T> ready, Predicate<T> check) throws Exception {
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start; see " + log);
      }
      try {
        T value = ready.get();
        if (value != null && check.test(value)) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " did not get ready in 2 minutes; see " + log);
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static int status(String url, String token) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
      if (token != null) {
        request.header("X-Consul-Token", token);
      }
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Resident memory in KiB, from /proc. */
  long rssKib() throws IOException {
    return statusField("VmRSS:");
  }

  /** Threads of the process, from /proc. */
  long threads() throws IOException {
    return statusField("Threads:");
  }

  /** CPU time (user and system) the process has used so far, in ms, from /proc. */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc", "" + process.pid(), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS;
  }

  /** Linux's USER_HZ: /proc counts CPU time in these ticks. */
  private static final long CLOCK_TICKS = 100;

  /**
   * The process's threads by name, numbers folded ({@code dw-12} and {@code dw-340} are {@code
   * dw-N}), from /proc; a name Dropwizard gave a thread while it serves a request (with {@code " -
   * GET /…"} after it) counts under the thread's own name.
   */
  Map<String, Integer> threadsByName() throws IOException {
    Map<String, Integer> names = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", "" + process.pid(), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          int request = name.indexOf(" - ");
          name = (request >= 0 ? name.substring(0, request) : name).replaceAll("\\d+", "N");
          names.merge(name, 1, Integer::sum);
        } catch (IOException gone) {
          // the thread ended while we looked
        }
      }
    }
    return names;
  }

  /**
   * Of the process's Jetty worker threads ({@code dw-…}), how many are idle in the pool and how
   * many are somewhere in Cast's registry code, from a thread dump ({@code jcmd Thread.print}).
   */
  String workers() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process dump =
        new ProcessBuilder(jcmd.toString(), "" + process.pid(), "Thread.print")
            .redirectErrorStream(true)
            .start();
    String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    dump.waitFor();
    int workers = 0;
    int idle = 0;
    int inRegistry = 0;
    for (String thread : out.split("\n\n")) {
      if (!thread.startsWith("\"dw-")) {
        continue;
      }
      workers++;
      if (thread.contains("QueuedThreadPool$Runner.idleJobPoll")
          || thread.contains("ReservedThreadExecutor")
          || thread.contains("ManagedSelector")
          || thread.contains("Acceptor")) {
        idle++;
      }
      if (thread.contains("dev.cast.api.registry.")) {
        inRegistry++;
      }
    }
    return String.format(
        "%d Jetty worker threads: %d idle in the pool or selecting/accepting, %d in registry code",
        workers, idle, inRegistry);
  }

  /** The soft limit of open files, from /proc. */
  String openFilesLimit() throws IOException {
    return openFilesLimit(process.pid());
  }

  /** The soft (and hard) limit of open files of process {@code pid}, from /proc. */
  static String openFilesLimit(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", "" + pid, "limits"))) {
      if (line.startsWith("Max open files")) {
        String[] f = line.trim().split("\\s+");
        return f[3] + " (hard " + f[4] + ")";
      }
    }
    return "?";
  }

  private long statusField(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", "" + process.pid(), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException(field + " not in /proc/" + process.pid() + "/status");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops the process (TERM, then KILL after 10 s). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Commands missing from PATH, of {@code names}. */
  static List<String> missing(String... names) {
    List<String> missing = new ArrayList<>();
    for (String n : names) {
      boolean found = false;
      for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
        found |= Files.isExecutable(Path.of(d, n));
      }
      if (!found) {
        missing.add(n);
      }
    }
    return missing;
  }
}
