package dev.cast.cli;

import dev.cast.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code cast server} as a process of its own, so a test can {@code kill -9} it and start it again
 * on the same data dir and port: the api, the embedded Temporal server and the embedded agent die
 * together, as they would on a crash; the services the agent started live on.
 */
final class ServerProcess implements AutoCloseable {
  final Path dataDir;
  final int port;
  private final Path config;
  private final boolean embeddedAgent;
  private Process process;

  ServerProcess() throws IOException {
    this("bundles: {maxSize: 1MiB}");
  }

  /**
   * @param bundlesYaml the {@code bundles:} section, e.g. {@code bundles: {maxSize: 64MiB}}
   */
  ServerProcess(String bundlesYaml) throws IOException {
    this(bundlesYaml, "temporal: {target: embedded, embeddedPort: 0}", true);
  }

  /**
   * @param temporalYaml the {@code temporal:} section, e.g. {@code temporal: {target: dev,
   *     embeddedPort: 0, uiPort: 0}}
   * @param embeddedAgent whether the server runs its own host agent ({@code local}); without, the
   *     hosts are agents of their own (a {@code Fleet})
   */
  ServerProcess(String bundlesYaml, String temporalYaml, boolean embeddedAgent) throws IOException {
    this.embeddedAgent = embeddedAgent;
    dataDir = TempDirs.create("cast-crash-");
    port = freePort();
    config = dataDir.resolve("config.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "dataDir: " + dataDir,
            temporalYaml,
            bundlesYaml,
            "deploy: {healthyDeadline: 60s}",
            "agent:",
            "  enabled: " + embeddedAgent,
            "  name: local",
            "  dataDir: " + dataDir.resolve("agent"),
            "  address: 127.0.0.1",
            "  ports: {from: 32000, to: 32999}",
            "  heartbeatSeconds: 1",
            "server:",
            "  applicationConnectors: [{type: http, port: " + port + ", bindHost: 127.0.0.1}]",
            "  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]",
            "  requestLog: {appenders: []}",
            "logging: {level: WARN, loggers: {dev.cast: INFO, io.temporal.internal.worker.BasePoller: ERROR}}",
            ""));
  }

  /** A client with the server's admin token (made at its first start). */
  ApiClient api() {
    try {
      return new ApiClient(
          "http://127.0.0.1:" + port, Files.readString(dataDir.resolve("admin-token")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server and waits until it answers (and its embedded agent, if any, registered). */
  void start() throws Exception {
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.cast.cli.Main",
                "server",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .start();
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("cast server died: " + Files.readString(log()));
      }
      try {
        ApiClient.Reply hosts = api().get("/v1/hosts");
        if (hosts.status() == 200 && (!embeddedAgent || hosts.body().size() > 0)) {
          return;
        }
      } catch (IOException | UncheckedIOException notYet) {
        // not listening yet (or no admin token written yet)
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("cast server never got ready: " + Files.readString(log()));
      }
      Thread.sleep(100);
    }
  }

  /** Stops the server as an operator would (SIGTERM: shutdown hooks run), and waits for it. */
  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  /** The server's pid, while it runs. */
  long pid() {
    return process.pid();
  }

  /**
   * Starts {@code cast agent} as a process of its own (another host) against {@code temporal}
   * ({@code host:port}), with its data under the server's data dir: it outlives a {@code kill -9}
   * of the server and joins it again after a restart when the Temporal port stays the same (e.g.
   * {@code temporal: {target: embedded, embeddedPort: <fixed>}}). Waits until it has registered.
   */
  Process startAgent(String name, String temporal) throws Exception {
    Path dir = dataDir.resolve("agents").resolve(name);
    Files.createDirectories(dir);
    Process agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.cast.cli.Main",
                "agent",
                "--name",
                name,
                "--data-dir",
                dir.toString(),
                "--api",
                "http://127.0.0.1:" + port,
                "--temporal",
                temporal,
                "--token",
                Files.readString(dataDir.resolve("agent-token")).trim())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()))
            .start();
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (api().get("/v1/hosts/" + name).status() != 200) {
      if (!agent.isAlive() || System.nanoTime() > end) {
        throw new IllegalStateException(
            "agent " + name + " never registered: " + Files.readString(dir.resolve("agent.log")));
      }
      Thread.sleep(100);
    }
    return agent;
  }

  /** {@code kill -9} of the server: no shutdown hook, no last word. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  Path log() {
    return dataDir.resolve("server.log");
  }

  /** A condition a test waits for. */
  interface Check {
    boolean holds() throws Exception;
  }

  /** Waits up to 90 s until {@code check} holds; else fails with the server's log. */
  void awaitTrue(Check check, String what) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "timed out waiting until " + what + "; server log:\n" + Files.readString(log()));
      }
      Thread.sleep(100);
    }
  }

  /** The body of a 200 answer to a GET of {@code url}, or null (none, or no answer in 2 s). */
  static String fetch(String url) {
    if (url == null) {
      return null;
    }
    try {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** Stops the server and every service its agent started. */
  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      kill9();
    }
    CastServerHarness.killServicesUnder(dataDir);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
