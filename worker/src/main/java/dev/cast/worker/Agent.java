package dev.cast.worker;

import dev.cast.activities.HostRuntime;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.supervisor.SupervisorSettings;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host agent: supervises this machine's services, serves their logs, and runs a Temporal worker
 * on {@code host-<name>} that stages, switches and controls releases; registered with the api, to
 * which it reports its services. Services run in their own process groups, so they outlive the
 * agent, and the next agent adopts them.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentConfiguration config;
  private BundleSharing bundles;
  private HostRuntime host;
  private LogServer logs;
  private WorkflowServiceStubs stubs;
  private WorkerFactory factory;
  private Registration registration;

  public Agent(AgentConfiguration config) {
    this.config = config;
  }

  public String name() {
    return config.getName();
  }

  public synchronized void start() throws Exception {
    ExpectedFailureLog.install();
    HostSettings settings =
        new HostSettings(
            config.getName(),
            config.getAddress(),
            Path.of(config.getDataDir()).toAbsolutePath(),
            config.getPorts().getFrom(),
            config.getPorts().getTo(),
            config.getMaxBundleSize().toBytes(),
            config.getMaxBundleEntries(),
            config.isDirectWrites(),
            config.getDiskReserve().toBytes());
    SSLContext tls = ApiTrust.context(config.getCaCert(), config.getCaCertPassword());
    bundles = BundleSharing.open(settings, config.getApi(), tls, config.getTorrent());
    host = HostRuntime.open(settings, supervisorSettings(), bundles.cache());
    logs =
        new LogServer(
            settings.dataDir(),
            config.getLogsBind() != null ? config.getLogsBind() : config.getAddress(),
            config.getAddress(),
            config.getLogsPort(),
            config.getToken());
    registration =
        new Registration(
            config.getApi(),
            tls,
            config.getName(),
            config.getAddress(),
            logs.url(),
            config.getToken(),
            config.getLabels(),
            () -> HostFacts.of(settings.dataDir()),
            host.supervisor()::statuses,
            host.releases()::snapshot,
            settings.dataDir().resolve("host-token"));
    host.supervisor().addListener(status -> registration.changed());
    host.releaseActivities().reportServicesWith(registration::reportNow);
    host.releaseActivities().reportStagingWith(registration::staging);
    host.releaseActivities()
        .renderConfigWith(
            ApiRegistry.views(config.getApi(), tls, registration::hostToken), config.getLabels());
    stubs = config.temporalConnection().workflowStubs();
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace(config.getNamespace()).build());
    factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.host(config.getName()));
    worker.registerActivitiesImplementations(host.releaseActivities(), host.serviceActivities());
    factory.start();
    log.info(
        "agent {} polling {} on Temporal {}, data in {}, logs at {}",
        config.getName(),
        TaskQueues.host(config.getName()),
        config.temporalConnection(),
        settings.dataDir(),
        logs.url());
    registration.start(config.getHeartbeatSeconds());
  }

  private SupervisorSettings supervisorSettings() {
    SupervisorConfiguration s = config.getSupervisor();
    return new SupervisorSettings(
        ConfigDurations.javaTime(s.getBackoffInitial()),
        ConfigDurations.javaTime(s.getBackoffMax()),
        ConfigDurations.javaTime(s.getBackoffReset()),
        s.getCrashLoopRestarts(),
        ConfigDurations.javaTime(s.getCrashLoopWindow()),
        s.getLogMaxSize().toBytes(),
        s.getLogKeep());
  }

  /** Stops polling, reporting and supervising. Services keep running. */
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
    if (logs != null) {
      logs.close();
    }
    if (host != null) {
      host.close();
    }
    if (bundles != null) {
      bundles.close();
    }
    bundles = null;
    factory = null;
    stubs = null;
    registration = null;
    logs = null;
    host = null;
  }
}
