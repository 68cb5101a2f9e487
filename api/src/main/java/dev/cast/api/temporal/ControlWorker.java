package dev.cast.api.temporal;

import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.config.ConfigRolloutWorkflowImpl;
import dev.cast.workflows.deploy.DeployWorkflowImpl;
import dev.cast.workflows.rollback.RollbackWorkflowImpl;
import dev.cast.workflows.rollout.PartWorkflowImpl;
import dev.cast.workflows.service.ServiceControlWorkflowImpl;
import dev.cast.workflows.shared.TaskQueues;
import io.dropwizard.lifecycle.Managed;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Polls {@code cast-control}: runs the workflows and the catalog activities. */
public final class ControlWorker implements Managed {
  private final TemporalEngine engine;
  private final CatalogActivities catalog;
  private final boolean sticky;
  private final List<WorkerInterceptor> interceptors;
  private WorkerFactory factory;

  public ControlWorker(TemporalEngine engine, CatalogActivities catalog, boolean sticky) {
    this(engine, catalog, sticky, List.of());
  }

  /**
   * @param interceptors wrapped around the workflows, e.g. by a test that injects a failure
   */
  public ControlWorker(
      TemporalEngine engine,
      CatalogActivities catalog,
      boolean sticky,
      List<WorkerInterceptor> interceptors) {
    this.engine = engine;
    this.catalog = catalog;
    this.sticky = sticky;
    this.interceptors = List.copyOf(interceptors);
  }

  @Override
  public void start() {
    factory =
        WorkerFactory.newInstance(
            engine.client(),
            WorkerFactoryOptions.newBuilder(factoryOptions(sticky))
                .setWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new))
                .build());
    var worker = factory.newWorker(TaskQueues.CONTROL, workerOptions(sticky));
    // PartWorkflowImpl: the parts (child workflows) of deploys and rollbacks, on this same queue.
    worker.registerWorkflowImplementationTypes(
        DeployWorkflowImpl.class,
        RollbackWorkflowImpl.class,
        PartWorkflowImpl.class,
        ServiceControlWorkflowImpl.class,
        ConfigRolloutWorkflowImpl.class);
    worker.registerActivitiesImplementations(catalog);
    factory.start();
  }

  @Override
  public void stop() {
    if (factory != null) {
      factory.shutdown();
      factory.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** How long a workflow thread may run without yielding before Temporal calls it a deadlock. */
  static final Duration DEADLOCK_DETECTION = Duration.ofSeconds(10);

  public static WorkerFactoryOptions factoryOptions(boolean sticky) {
    // Each host a rollout's part acts on at once is a workflow thread: up to 4 parts of 250 hosts
    // per rollout (PartWorkflow), beyond the SDK's default of 600 threads for every workflow the
    // worker runs or keeps cached.
    return WorkerFactoryOptions.newBuilder().setMaxWorkflowThreadCount(2_000).build();
  }

  /**
   * Worker options. Without sticky execution ({@code temporal.stickyExecution: false}), every
   * workflow task goes to the normal queue, so a workflow of a killed worker continues on the next
   * one even on a server that never times out a sticky queue (Temporal's Java test server on its
   * own).
   */
  public static WorkerOptions workerOptions(boolean sticky) {
    WorkerOptions.Builder builder =
        WorkerOptions.newBuilder()
            // The first replay after a restart loads every workflow class: on a busy machine that
            // alone took more than the default 1 s, which Temporal reports as a potential deadlock
            // (and retries the task). Cast's workflow code never blocks, so a wider margin costs
            // nothing.
            .setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION.toMillis());
    if (!sticky) {
      builder.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    return builder.build();
  }
}
