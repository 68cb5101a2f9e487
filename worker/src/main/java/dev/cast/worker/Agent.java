package dev.cast.worker;

import dev.cast.activities.bundle.HttpBundleFetcher;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.release.ReleaseActivitiesImpl;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host agent: a Temporal worker on {@code host-<name>} that stages, switches and runs releases on
 * this machine, registered with the api. Services it starts run in their own process groups, so
 * they outlive the agent.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentConfiguration config;
  private WorkflowServiceStubs stubs;
  private WorkerFactory factory;
  private Registration registration;

  public Agent(AgentConfiguration config) {
    this.config = config;
  }

  public String name() {
    return config.getName();
  }

  public void start() throws Exception {
    HostSettings host =
        new HostSettings(
            config.getName(),
            config.getAddress(),
            Path.of(config.getDataDir()).toAbsolutePath(),
            config.getPorts().getFrom(),
            config.getPorts().getTo(),
            config.getMaxBundleSize().toBytes());
    ReleaseActivitiesImpl activities =
        ReleaseActivitiesImpl.create(host, new HttpBundleFetcher(URI.create(config.getApi())));
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(config.getTemporal()).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace(config.getNamespace()).build());
    factory = WorkerFactory.newInstance(client);
    factory
        .newWorker(TaskQueues.host(config.getName()))
        .registerActivitiesImplementations(activities);
    factory.start();
    log.info(
        "agent {} polling {} on Temporal {}, data in {}",
        config.getName(),
        TaskQueues.host(config.getName()),
        config.getTemporal(),
        host.dataDir());
    registration = new Registration(config.getApi(), config.getName(), config.getAddress());
    registration.start(config.getHeartbeatSeconds());
  }

  /** Stops polling and heartbeating. Services keep running. */
  @Override
  public synchronized void close() {
    if (registration != null) {
      registration.close();
    }
    if (factory != null) {
      try {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        log.warn("worker shutdown: {}", e.getMessage());
      }
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
    factory = null;
    stubs = null;
    registration = null;
  }
}
