package dev.cast.api.temporal;

import dev.cast.api.config.TemporalSettings;
import dev.cast.connect.TemporalConnection;
import io.dropwizard.lifecycle.Managed;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to Temporal, and the server itself when Cast runs it: with {@code target:
 * embedded} the in-process Java test server, which keeps workflows in memory (a restart loses them;
 * the api marks such deployments INTERRUPTED); with {@code dev} the {@code temporal} CLI's dev
 * server as a child process, which keeps them in SQLite and serves the Web UI. At start it checks
 * the namespace and registers Cast's search attributes.
 */
public final class TemporalEngine implements Managed {
  private static final Logger log = LoggerFactory.getLogger(TemporalEngine.class);

  private final TemporalSettings settings;
  private final Path dataDir;
  private Closeable embeddedServer;
  private DevTemporalServer devServer;
  private WorkflowServiceStubs stubs;
  private WorkflowClient client;
  private String target;
  private TemporalConnection connection;
  private String uiUrl;
  private volatile Set<String> searchable = Set.of();
  private ScheduledExecutorService watch;
  private volatile boolean reachable = true;

  /**
   * How long the api waits for a workflow's answer to its progress query: it answers in
   * milliseconds, and one that does not within a second cannot run its tasks or has no worker; the
   * api then answers from the catalog.
   */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

  /** With {@code embeddedPort: 0}, how many free ports to try before giving up. */
  private static final int ANY_PORT_ATTEMPTS = 5;

  /** How long a dev server just started may take to serve its namespace. */
  private static final Duration NAMESPACE_READY_WITHIN = Duration.ofSeconds(30);

  /**
   * @param dataDir where {@code target: dev} keeps the server's db, log and pid
   */
  public TemporalEngine(TemporalSettings settings, Path dataDir) {
    this.settings = settings;
    this.dataDir = dataDir;
  }

  @Override
  public void start() throws IOException {
    try {
      connect();
    } catch (IOException | RuntimeException e) {
      // A server Cast started must not outlive a start that failed after it.
      stop();
      throw e;
    }
  }

  private void connect() throws IOException {
    if (settings.embedded()) {
      boolean anyPort = settings.getEmbeddedPort() == 0;
      int port = anyPort ? freePort() : settings.getEmbeddedPort();
      for (int attempt = 1; embeddedServer == null; attempt++) {
        try {
          embeddedServer = EmbeddedTemporal.start(settings.getBindHost(), port);
        } catch (RuntimeException e) {
          if (anyPort && attempt < ANY_PORT_ATTEMPTS) {
            // The free port found a moment ago was taken in between (by an outgoing connection
            // or another process): take another.
            log.info("port {} was taken before the embedded server bound it; trying another", port);
            port = freePort();
            continue;
          }
          throw new IOException(
              "cannot start the embedded Temporal server on port "
                  + port
                  + " (is another Cast or Temporal running? set temporal.embeddedPort): "
                  + e.getMessage(),
              e);
        }
      }
      target = EmbeddedTemporal.clientHost(settings.getBindHost()) + ":" + port;
      log.info("embedded Temporal server listening on {}", target);
      connection = TemporalConnection.plain(target, settings.getNamespace());
    } else if (settings.dev()) {
      devServer = DevTemporalServer.start(settings, dataDir);
      target = devServer.target();
      uiUrl = devServer.uiUrl();
      connection = TemporalConnection.plain(target, settings.getNamespace());
    } else {
      target = settings.getTarget();
      uiUrl = settings.getUiUrl();
      try {
        connection = settings.connection(target);
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    stubs = connection.workflowStubs();
    client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder().setNamespace(settings.getNamespace()).build());
    if (!settings.embedded()) {
      requireNamespace();
    }
    OperatorServiceStubs operator = connection.operatorStubs();
    try {
      searchable = Set.copyOf(SearchAttributeSetup.ensure(operator, settings.getNamespace()));
    } finally {
      operator.shutdownNow();
    }
    if (!settings.embedded()) {
      watch = Executors.newSingleThreadScheduledExecutor(TemporalEngine::watchThread);
      watch.scheduleWithFixedDelay(this::check, 5, 5, TimeUnit.SECONDS);
    }
  }

  private static Thread watchThread(Runnable task) {
    Thread thread = new Thread(task, "cast-temporal-watch");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * One line when Temporal stops answering and one when it is back, where the SDK's pollers would
   * each log a stack trace per retry (config.yml quiets them).
   */
  private void check() {
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(3, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      if (!reachable) {
        reachable = true;
        log.info("Temporal at {} answers again; deployments go on", target);
      }
    } catch (StatusRuntimeException e) {
      if (reachable) {
        reachable = false;
        log.warn(
            "Temporal at {} does not answer ({}); running deployments wait for it and go on when"
                + " it is back",
            target,
            e.getStatus().getCode());
      }
    } catch (RuntimeException e) {
      log.warn("checking Temporal at {} failed", target, e);
    }
  }

  /**
   * Fails start with the fix when the namespace does not exist; a dev server just started gets a
   * moment to create it.
   */
  private void requireNamespace() throws IOException {
    long end = System.nanoTime() + NAMESPACE_READY_WITHIN.toNanos();
    while (true) {
      try {
        stubs
            .blockingStub()
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .describeNamespace(
                DescribeNamespaceRequest.newBuilder()
                    .setNamespace(settings.getNamespace())
                    .build());
        return;
      } catch (StatusRuntimeException e) {
        boolean retry = settings.dev() && System.nanoTime() < end;
        if (retry) {
          sleep(250);
          continue;
        }
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw new IOException(
              "namespace "
                  + settings.getNamespace()
                  + " does not exist on the Temporal server at "
                  + target
                  + "; create it (temporal operator namespace create --namespace "
                  + settings.getNamespace()
                  + ") or set temporal.namespace");
        }
        throw new IOException(
            "cannot reach the Temporal server at "
                + connection
                + ": "
                + e.getStatus().getCode()
                + (e.getStatus().getDescription() == null
                    ? ""
                    : " (" + e.getStatus().getDescription() + ")")
                + "; check temporal.target, temporal.tls and temporal.apiKey",
            e);
      }
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Temporal", e);
    }
  }

  @Override
  public void stop() throws IOException {
    if (watch != null) {
      watch.shutdownNow();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (embeddedServer != null) {
      embeddedServer.close();
    }
    if (devServer != null) {
      devServer.close();
    }
  }

  /** How agents and other clients reach this Temporal (TLS and API key included). */
  public TemporalConnection connection() {
    return connection;
  }

  /** The Temporal Web UI's base URL, or null when Cast does not know one. */
  public String uiUrl() {
    return uiUrl;
  }

  /** The Temporal UI page of a workflow run, or null without a known UI. */
  public String workflowUrl(String workflowId, String runId) {
    if (uiUrl == null || workflowId == null) {
      return null;
    }
    String base = uiUrl.endsWith("/") ? uiUrl.substring(0, uiUrl.length() - 1) : uiUrl;
    return base
        + "/namespaces/"
        + encode(settings.getNamespace())
        + "/workflows/"
        + encode(workflowId)
        + (runId == null ? "" : "/" + encode(runId) + "/history");
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Cast's search attributes the server has: workflows start with these, and no others. */
  public Set<String> searchable() {
    return searchable;
  }

  /** The dev server Cast runs, or null. */
  public DevTemporalServer devServer() {
    return devServer;
  }

  public WorkflowClient client() {
    return client;
  }

  /** {@code host:port} of the Temporal frontend, for agents that should join. */
  public String target() {
    return target;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
