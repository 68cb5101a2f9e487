package dev.cast.activities.release;

import dev.cast.activities.bundle.BundleCache;
import dev.cast.activities.bundle.FetchProgress;
import dev.cast.activities.bundle.ReleaseStager;
import dev.cast.activities.config.RegistryView;
import dev.cast.activities.config.ReleaseConfig;
import dev.cast.activities.host.AppLocks;
import dev.cast.activities.host.Heartbeat;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.PathNames;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.supervisor.Supervisor;
import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.ConfigApply;
import dev.cast.workflows.host.ConfigPlan;
import dev.cast.workflows.host.ConfigRequest;
import dev.cast.workflows.host.HealthReport;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.HookRequest;
import dev.cast.workflows.host.PruneRequest;
import dev.cast.workflows.host.PruneResult;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.host.RevertRequest;
import dev.cast.workflows.host.StageRequest;
import dev.cast.workflows.host.StagedRelease;
import dev.cast.workflows.host.StagingReport;
import dev.cast.workflows.host.SwitchRequest;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The host agent's release activities, on real files and real processes under {@link
 * HostSettings#dataDir()}; services are started and stopped through the host's {@link Supervisor}.
 * I/O failures propagate as retryable; permanent problems are non-retryable {@code
 * ApplicationFailure}s typed by {@code DeployFailure}. Build it with {@code HostRuntime.open}.
 */
public final class ReleaseActivitiesImpl implements ReleaseActivities {
  private final AppLocks locks;
  private final ReleaseStager stager;
  private final Activator activator;
  private final HealthWaiter health;
  private final HookRunner hooks;
  private final Reverter reverter;
  private final Pruner pruner;
  private final HostSettings settings;
  private final ReleaseConfig config;
  private final ConfigRollouts configRollouts;
  private volatile Runnable reportServices = () -> {};
  private volatile Consumer<StagingReport> reportStaging = report -> {};

  /**
   * @param ports the host's port allocator, shared with the supervisor
   * @param supervisor the host's supervisor, which runs every service
   * @param locks shared with the service activities, so one app's work on the host runs one at a
   *     time
   */
  public ReleaseActivitiesImpl(
      HostSettings settings,
      BundleCache cache,
      PortAllocator ports,
      Supervisor supervisor,
      AppLocks locks) {
    this.settings = settings;
    this.locks = locks;
    AppServices services = new AppServices(settings.hostName(), ports);
    this.stager = new ReleaseStager(settings, cache);
    this.hooks = new HookRunner(services);
    this.config = new ReleaseConfig(settings.hostName(), settings.address());
    this.activator = new Activator(settings, services, supervisor, hooks, config);
    this.health = new HealthWaiter(settings, supervisor);
    this.reverter = new Reverter(settings, supervisor);
    this.pruner = new Pruner(settings, supervisor);
    this.configRollouts = new ConfigRollouts(settings, services, supervisor, health, config);
  }

  /**
   * What tells the api about this host's services, synchronously: called before an activity that
   * started, switched or checked services returns, so a deployment that ended finds its services in
   * the api's catalog (their instances, their logs) rather than a moment later. Must not throw.
   */
  public void reportServicesWith(Runnable report) {
    this.reportServices = report;
  }

  /**
   * What tells the api how far this host's fetch of a release got: called with each progress of a
   * fetch, at most a few times a second, and once more with {@code done} when it ends. Must not
   * throw or block.
   */
  public void reportStagingWith(Consumer<StagingReport> report) {
    this.reportStaging = report;
  }

  /**
   * Where config templates read the registry (a new view for each activation) and the host's labels
   * they see. Until this is called templates see an empty registry and no labels.
   */
  public void renderConfigWith(Supplier<RegistryView> registry, Map<String, String> labels) {
    config.use(registry, labels);
  }

  private <T> T reported(T result) {
    reportServices.run();
    return result;
  }

  @Override
  public StagedRelease stageRelease(StageRequest request) {
    check(request.app(), request.version());
    PathNames.sha256(request.sha256());
    Heartbeat heartbeat =
        Heartbeat.start(new FetchProgress(0, request.size(), 0, 0, "", 0, Map.of()));
    AtomicReference<FetchProgress> last = new AtomicReference<>();
    try {
      return locked(
          request.app(),
          () ->
              stager.stage(
                  request,
                  progress -> {
                    heartbeat.details(progress);
                    heartbeat.run();
                    FetchProgress before = last.getAndSet(progress);
                    if (before == null
                        || progress.bytes() != before.bytes()
                        || !progress.received().equals(before.received())) {
                      reportStaging.accept(stagingReport(request, progress, false));
                    }
                  }));
    } finally {
      FetchProgress end = last.get();
      if (end != null) {
        reportStaging.accept(stagingReport(request, end, true));
      }
    }
  }

  private static StagingReport stagingReport(
      StageRequest request, FetchProgress progress, boolean done) {
    return new StagingReport(
        request.app(),
        request.version(),
        progress.bytes(),
        progress.totalBytes(),
        progress.bytesPerSecond(),
        progress.peers(),
        progress.source(),
        progress.received(),
        done);
  }

  @Override
  public Activation activateRelease(ActivateRequest request) {
    check(request.app(), request.version());
    Heartbeat heartbeat = Heartbeat.start("activating " + request.version());
    return reported(locked(request.app(), () -> activator.activate(request, heartbeat)));
  }

  @Override
  public Activation switchRelease(SwitchRequest request) {
    check(request.app(), request.version());
    Heartbeat heartbeat = Heartbeat.start("activating " + request.version());
    return reported(
        locked(
            request.app(),
            () -> {
              Activation activation = activator.activate(request.activation(), heartbeat);
              health.await(request.health(), heartbeat);
              if (request.runPostActivate()) {
                var app = settings.layout().app(request.app());
                var manifest = ReleaseManifests.load(app, request.version());
                hooks.run(app, request.version(), manifest, HookRunner.POST_ACTIVATE, heartbeat);
              }
              return activation;
            }));
  }

  @Override
  public HealthReport awaitHealthy(HealthRequest request) {
    check(request.app(), request.version());
    Heartbeat heartbeat = Heartbeat.start("checking " + request.version());
    return reported(locked(request.app(), () -> health.await(request, heartbeat)));
  }

  @Override
  public void runHook(HookRequest request) {
    check(request.app(), request.version());
    Heartbeat heartbeat = Heartbeat.start(request.hook());
    locked(
        request.app(),
        () -> {
          var app = settings.layout().app(request.app());
          var manifest = ReleaseManifests.load(app, request.version());
          hooks.run(app, request.version(), manifest, request.hook(), heartbeat);
          return null;
        });
  }

  @Override
  public void revertRelease(RevertRequest request) {
    check(request.app(), request.failedVersion());
    if (request.previousVersion() != null) {
      PathNames.version(request.previousVersion());
    }
    Heartbeat heartbeat = Heartbeat.start("reverting to " + request.previousVersion());
    reported(
        locked(
            request.app(),
            () -> {
              reverter.revert(request, heartbeat);
              return null;
            }));
  }

  @Override
  public PruneResult pruneReleases(PruneRequest request) {
    PathNames.app(request.app());
    return locked(request.app(), () -> pruner.prune(request));
  }

  @Override
  public ConfigPlan renderConfig(ConfigRequest request) {
    check(request.app(), request.version());
    PathNames.deploymentId(request.deploymentId());
    return locked(request.app(), () -> configRollouts.render(request));
  }

  @Override
  public Activation applyConfig(ConfigApply request) {
    check(request.app(), request.version());
    PathNames.deploymentId(request.deploymentId());
    Heartbeat heartbeat = Heartbeat.start("applying config of " + request.version());
    return reported(locked(request.app(), () -> configRollouts.apply(request, heartbeat)));
  }

  @Override
  public void revertConfig(ConfigApply request) {
    check(request.app(), request.version());
    PathNames.deploymentId(request.deploymentId());
    Heartbeat heartbeat = Heartbeat.start("reverting config of " + request.version());
    reported(
        locked(
            request.app(),
            () -> {
              configRollouts.revert(request, heartbeat);
              return null;
            }));
  }

  private static void check(String app, String version) {
    PathNames.app(app);
    PathNames.version(version);
  }

  private <T> T locked(String app, AppLocks.Work<T> work) {
    try {
      return locks.with(app, work);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
  }
}
