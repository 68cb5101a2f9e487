package dev.cast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.Fleet;
import dev.cast.testkit.TempDirs;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A real Cast server for end-to-end tests: REST over HTTP, the embedded Temporal server, SQLite and
 * the embedded host agent, with its data in a fresh temp dir.
 */
final class CastServerHarness {
  final Path dataDir;
  private final Path embeddedAgentDir;
  final DropwizardAppExtension<ServerConfiguration> app;
  private final HttpClient http = HttpClient.newHttpClient();
  private SSLContext tls;

  CastServerHarness(ConfigOverride... extra) {
    this(ServerApplication.class, null, extra);
  }

  /** A server of a subclass of the application, e.g. one that injects faults. */
  CastServerHarness(Class<? extends ServerApplication> application, ConfigOverride... extra) {
    this(application, null, extra);
  }

  /**
   * A server whose embedded agent keeps its data in {@code agentDataDir} (null: {@code agent} in
   * the server's data dir). A second {@code agent.dataDir} override would not replace the first.
   */
  CastServerHarness(Path agentDataDir, ConfigOverride... extra) {
    this(ServerApplication.class, agentDataDir, extra);
  }

  private CastServerHarness(
      Class<? extends ServerApplication> application, Path agentDataDir, ConfigOverride... extra) {
    dataDir = TempDirs.create("cast-e2e-");
    Path agentDir = agentDataDir != null ? agentDataDir : dataDir.resolve("agent");
    embeddedAgentDir = agentDir;
    app =
        new DropwizardAppExtension<>(
            application,
            ResourceHelpers.resourceFilePath("test-config.yml"),
            Stream.concat(
                    Stream.concat(
                        Stream.of(
                            ConfigOverride.config("dataDir", dataDir.toString()),
                            ConfigOverride.config("agent.dataDir", agentDir.toString())),
                        portRange(extra)),
                    Arrays.stream(extra))
                .toArray(ConfigOverride[]::new));
  }

  /**
   * The embedded agent's ports, a range of their own per test JVM: test classes run in two JVMs at
   * once (cli/pom.xml), and two agents handing out the same range could give one port to two
   * services starting at the same moment (a port is checked free when allocated, and bound a second
   * later by the service). A JVM holds the lock of its range's file for its life. None when a test
   * sets the range itself.
   */
  private static Stream<ConfigOverride> portRange(ConfigOverride... extra) {
    if (setsPorts(extra)) {
      return Stream.of();
    }
    int from = 31000 + ownRange() * 250;
    return Stream.of(
        ConfigOverride.config("agent.ports.from", Integer.toString(from)),
        ConfigOverride.config("agent.ports.to", Integer.toString(from + 249)));
  }

  private static final int RANGES = 4;
  private static FileLock rangeLock;
  private static int range = -1;

  /** This JVM's range, 0 to 3: the first whose lock file no other JVM holds. */
  private static synchronized int ownRange() {
    if (range >= 0) {
      return range;
    }
    for (int i = 0; i < RANGES; i++) {
      try {
        FileChannel channel =
            FileChannel.open(
                Path.of(System.getProperty("java.io.tmpdir"), "cast-test-ports-" + i + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock != null) {
          rangeLock = lock;
          range = i;
          return i;
        }
        channel.close();
      } catch (IOException | OverlappingFileLockException e) {
        // Try the next one.
      }
    }
    range = (int) (ProcessHandle.current().pid() % RANGES);
    return range;
  }

  private static boolean setsPorts(ConfigOverride... extra) {
    for (ConfigOverride override : extra) {
      override.addToSystemProperties();
      try {
        if (System.getProperty("dw.agent.ports.from") != null) {
          return true;
        }
      } finally {
        override.removeFromSystemProperties();
      }
    }
    return false;
  }

  /**
   * Speak HTTPS to the server (its REST connector is {@code type: https}), trusting the CAs of
   * {@code tls}.
   */
  CastServerHarness https(SSLContext tls) {
    this.tls = tls;
    return this;
  }

  /** The api's base URL, {@code http://} or {@code https://127.0.0.1:<port>}. */
  String baseUrl() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + app.getLocalPort();
  }

  /** A client with the server's first admin token. */
  ApiClient api() {
    return new ApiClient(baseUrl(), adminToken(), tls);
  }

  /** A client without a token. */
  ApiClient anonymous() {
    return new ApiClient(baseUrl(), null, tls);
  }

  /** The admin token the server made at its first start. */
  String adminToken() {
    try {
      return Files.readString(dataDir.resolve("admin-token")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code Authorization} with the admin token, for requests a test builds itself. */
  String authorization() {
    return "Bearer " + adminToken();
  }

  /** Waits until the embedded agent has registered its host. */
  void awaitHost() throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (api().get("/v1/hosts").body().size() == 0) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("the embedded agent never registered");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Starts {@code cast agent} as its own process (a separate JVM, like on another host), with its
   * data under this server's data dir so {@link #killServices} finds its services too.
   */
  Process startAgent(String name) throws IOException {
    Path dir = agentDir(name);
    Files.createDirectories(dir);
    String temporal = app.<ServerApplication>getApplication().runtime().temporal().target();
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "dev.cast.cli.Main",
            "agent",
            "--name",
            name,
            "--data-dir",
            dir.toString(),
            "--api",
            "http://127.0.0.1:" + app.getLocalPort(),
            "--temporal",
            temporal,
            "--token",
            app.<ServerApplication>getApplication().runtime().agentToken(),
            "--labels",
            "role=web,name=" + name)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()))
        .start();
  }

  /**
   * A fleet of hosts for this server, under its data dir (each host in its own network namespace
   * where the machine allows).
   */
  Fleet fleet() throws IOException {
    return fleet("");
  }

  /** A fleet whose agents' {@code agent.yml} holds {@code agentYaml}. */
  Fleet fleet(String agentYaml) throws IOException {
    var runtime = app.<ServerApplication>getApplication().runtime();
    return Fleet.builder()
        .classpath(System.getProperty("java.class.path"))
        .apiPort(app.getLocalPort())
        .temporal(runtime.temporal().target())
        .token(runtime.agentToken())
        .readToken(adminToken())
        .baseDir(dataDir.resolve("fleet"))
        .agentSettings(agentYaml)
        .build();
  }

  Path agentDir(String name) {
    return dataDir.resolve("agents").resolve(name);
  }

  /** Waits until some host reports the service (its agent's service report reached the api). */
  void awaitReported(String app, String service) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (api().get("/v1/apps/" + app + "/services/" + service).status() != 200) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("no host reported " + service + " of " + app);
      }
      Thread.sleep(50);
    }
  }

  /** Waits until a host has registered (and, with a process, that the process still lives). */
  void awaitHost(String name, Process agent) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (api().get("/v1/hosts/" + name).status() != 200) {
      if (agent != null && !agent.isAlive()) {
        throw new IllegalStateException(
            "agent " + name + " died: " + Files.readString(agentDir(name).resolve("agent.log")));
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("agent " + name + " never registered");
      }
      Thread.sleep(100);
    }
  }

  /** Pushes and deploys version 1.0.0 of examples/hello to every host; fails unless it succeeds. */
  void deployExample() throws Exception {
    awaitHost();
    Path bundle = TempDirs.create("cast-example-").resolve("hello-1.0.0.tar.gz");
    Main.Bundles.pack(Path.of("../examples/hello"), null, "1.0.0", bundle);
    ApiClient.Reply pushed = api().pushBundle("hello", bundle);
    if (pushed.status() != 201) {
      throw new IllegalStateException("push answered " + pushed.status() + " " + pushed.body());
    }
    String id =
        api()
            .postJson("/v1/apps/hello/deployments", Map.of("version", "1.0.0"))
            .body()
            .path("id")
            .asText();
    JsonNode done = api().awaitDeployment(id, Duration.ofMinutes(2));
    if (!"SUCCEEDED".equals(done.path("state").asText())) {
      throw new IllegalStateException("the example's deploy ended " + done);
    }
  }

  /** A followed log: its lines arrive in {@code lines}; {@link #close} ends it. */
  record Following(BlockingQueue<String> lines, Runnable close) {}

  /** Follows a log through the api, e.g. {@code /v1/apps/hello/services/web/logs?follow=true}. */
  Following follow(String pathAndQuery) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<Stream<String>> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.getLocalPort() + pathAndQuery))
                .header("Authorization", authorization())
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      String body = String.join("\n", response.body().toList());
      throw new IllegalStateException("follow answered " + response.statusCode() + ": " + body);
    }
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> response.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    // Closing may wait on the connection; never let it hold up a test.
    Runnable close =
        () -> {
          Thread closer = new Thread(() -> response.body().close());
          closer.setDaemon(true);
          closer.start();
        };
    return new Following(lines, close);
  }

  /** PUT of a registry key as a Consul client sends it; the index it was written at. */
  long putKey(String key, String value) throws Exception {
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/kv/" + key))
                .header("Authorization", authorization())
                .PUT(HttpRequest.BodyPublishers.ofString(value))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 200 || !put.body().trim().equals("true")) {
      throw new AssertionError(
          "PUT of " + key + " answered " + put.statusCode() + ": " + put.body());
    }
    return api().get("/v1/kv/" + key).body().get(0).path("ModifyIndex").asLong();
  }

  /** GET of an app's URL: the body, or null when it does not answer. */
  String fetch(String url) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The URL of the first instance of an app's first service. */
  String instanceUrl(String app) throws Exception {
    JsonNode instance = api().get("/v1/apps/" + app + "/instances").body().get(0);
    return "http://"
        + instance.path("address").asText()
        + ":"
        + instance.path("port").asInt()
        + "/";
  }

  /**
   * Kills every service the agents under this server's data dir started, so no test leaves
   * processes behind (stop standalone agents before): every process group whose leader's command
   * line names the data dir (each service runs under a wrapper that does).
   */
  void killServices() throws IOException, InterruptedException {
    // First the embedded agent, or its supervisor would restart what is killed here.
    app.<ServerApplication>getApplication().stopAgent();
    killServicesUnder(dataDir);
    if (!embeddedAgentDir.startsWith(dataDir)) {
      killServicesUnder(embeddedAgentDir); // an agent data dir of its own, e.g. a small tmpfs
    }
  }

  /** Kills the services whose data lives under {@code dir} (stop their agent first). */
  /** {@code GET /metrics} on the admin port, as Prometheus scrapes it. */
  HttpResponse<String> scrapeMetrics() {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort() + "/metrics"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void killServicesUnder(Path dir) throws IOException, InterruptedException {
    String marker = dir.toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
          String pid = proc.getFileName().toString();
          if (cmd.contains(marker) && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
          }
        } catch (IOException gone) {
          // it ended while we looked
        }
      }
    }
  }

  /** Each host's state in a deployment view, by host name, in the view's order. */
  static Map<String, String> hostStates(JsonNode deployment) {
    Map<String, String> states = new LinkedHashMap<>();
    for (JsonNode host : deployment.path("hosts")) {
      states.put(host.path("host").asText(), host.path("state").asText());
    }
    return states;
  }
}
