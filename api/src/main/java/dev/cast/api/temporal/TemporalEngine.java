package dev.cast.api.temporal;

import dev.cast.api.config.TemporalSettings;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to Temporal, and with {@code target: embedded} the in-process Temporal server
 * itself. The embedded server keeps workflows in memory: a restart loses them (the api marks such
 * deployments INTERRUPTED).
 */
public final class TemporalEngine implements Managed {
  private static final Logger log = LoggerFactory.getLogger(TemporalEngine.class);

  private final TemporalSettings settings;
  private Closeable embeddedServer;
  private WorkflowServiceStubs stubs;
  private WorkflowClient client;
  private String target;

  /**
   * How long the api waits for a workflow's answer to its progress query: it answers in
   * milliseconds, and one that does not within a second cannot run its tasks or has no worker; the
   * api then answers from the catalog.
   */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

  /** With {@code embeddedPort: 0}, how many free ports to try before giving up. */
  private static final int ANY_PORT_ATTEMPTS = 5;

  public TemporalEngine(TemporalSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start() throws IOException {
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
    } else {
      target = settings.getTarget();
    }
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder().setNamespace(settings.getNamespace()).build());
  }

  @Override
  public void stop() throws IOException {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (embeddedServer != null) {
      embeddedServer.close();
    }
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
