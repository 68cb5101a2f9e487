package dev.cast.cli;

import dev.cast.api.CastApplication;
import dev.cast.worker.Agent;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.HttpsConnectorFactory;
import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code cast server}: the api, and unless disabled a host agent in the same process. */
public class ServerApplication extends CastApplication<ServerConfiguration> {
  private static final Logger log = LoggerFactory.getLogger(ServerApplication.class);

  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Void> agentRegistered = new CompletableFuture<>();
  private volatile Agent agent;

  /** Stops the embedded agent (its services keep running), e.g. before killing them. */
  public void stopAgent() {
    Agent running = agent;
    if (running != null) {
      running.close();
    }
  }

  /** Completes with the api's port once the server is up and its agent started. */
  public CompletableFuture<Integer> ready() {
    return port;
  }

  @Override
  protected void extend(ServerConfiguration config, Environment env, Runtime runtime) {
    if (config.getAgent().isEnabled()) {
      // The REST port opens before the embedded agent registers: a deploy in between waits for
      // it instead of finding no host.
      runtime.deployments().holdUntilHostsReady(agentRegistered);
    }
    // Registered after the Temporal engine, so it stops before it.
    env.lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                if (agent != null) {
                  agent.close();
                }
              }
            });
  }

  /** {@code https} when the api's (first) REST connector is HTTPS, else {@code http}. */
  static String scheme(ServerConfiguration config) {
    if (config.getServerFactory() instanceof DefaultServerFactory f
        && !f.getApplicationConnectors().isEmpty()
        && f.getApplicationConnectors().get(0) instanceof HttpsConnectorFactory) {
      return "https";
    }
    return "http";
  }

  @Override
  protected void started(
      ServerConfiguration config, Environment env, Runtime runtime, int apiPort) {
    ServerConfiguration.EmbeddedAgent settings = config.getAgent();
    try {
      if (settings.isEnabled()) {
        if (settings.getApi() == null) {
          settings.setApi(scheme(config) + "://127.0.0.1:" + apiPort);
        }
        if (settings.getTemporal() == null) {
          settings.useTemporal(runtime.temporal().connection());
        }
        if (settings.getToken() == null) {
          settings.setToken(runtime.agentToken());
        }
        agent = new Agent(settings);
        agent.start(); // registers the host before it returns
      }
      agentRegistered.complete(null);
      log.info("Cast is ready: {}://127.0.0.1:{}/v1/apps", scheme(config), apiPort);
      port.complete(apiPort);
    } catch (Exception e) {
      port.completeExceptionally(e);
      agentRegistered.completeExceptionally(e);
      throw new IllegalStateException("the embedded agent failed to start: " + e.getMessage(), e);
    }
  }
}
