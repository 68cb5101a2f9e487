package dev.cast.bench;

import dev.cast.bundle.BundlePacker;
import dev.cast.cli.ApiClient;
import dev.cast.cli.ServerApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Cast server in this JVM, with its data in a fresh temp dir, for the benchmarks. */
final class BenchServer {
  final Path dir;
  final ServerApplication app;
  final ApiClient api;
  final int port;

  private BenchServer(Path dir, ServerApplication app, int port) {
    this.dir = dir;
    this.app = app;
    this.port = port;
    this.api = new ApiClient("http://127.0.0.1:" + port, adminToken(dir));
  }

  private static String adminToken(Path dir) {
    try {
      return Files.readString(dir.resolve("admin-token")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BenchServer start() throws Exception {
    Path dir = Files.createTempDirectory("cast-bench-");
    Path config = dir.resolve("config.yml");
    try (InputStream in = BenchServer.class.getResourceAsStream("/bench-config.yml")) {
      Files.copy(in, config, StandardCopyOption.REPLACE_EXISTING);
    }
    System.setProperty("dw.dataDir", dir.toString());
    System.setProperty("dw.agent.dataDir", dir.resolve("agent").toString());
    ServerApplication app = new ServerApplication();
    app.run("server", config.toString());
    return new BenchServer(dir, app, app.ready().get(2, TimeUnit.MINUTES));
  }

  /** Packs and pushes an app whose cast.yml is {@code manifest} (version replaced). */
  void push(String app, String manifest, String version) throws Exception {
    Path source = dir.resolve("src-" + app);
    Files.createDirectories(source);
    Files.writeString(source.resolve("cast.yml"), manifest);
    Path bundle = dir.resolve(app + "-" + version + ".tar.gz");
    BundlePacker.pack(source, bundle, version);
    ApiClient.Reply pushed = api.pushBundle(app, bundle);
    require(pushed.status() / 100 == 2, "push of " + app + " answered " + pushed.status());
  }

  /** Starts a deployment or operation and waits for it to succeed; returns the milliseconds. */
  double run(String path, Map<String, Object> body) throws Exception {
    long start = System.nanoTime();
    ApiClient.Reply started = api.postJson(path, body);
    require(started.status() == 202, path + " answered " + started.status() + " " + started.body());
    var done = api.awaitDeployment(started.body().path("id").asText(), Duration.ofMinutes(2));
    require(
        "SUCCEEDED".equals(done.path("state").asText()),
        path + " ended " + done.path("state") + ": " + done.path("cause"));
    return (System.nanoTime() - start) / 1e6;
  }

  void stop() throws Exception {
    app.stopAgent(); // or its supervisor would restart what is killed next
    Processes.killServices(dir);
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
