package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.process.ProcStat;
import dev.cast.activities.process.ProcessIdentity;
import dev.cast.activities.process.RunFiles;
import dev.cast.activities.process.RunRecord;
import dev.cast.activities.process.ServiceEnvironment;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.RestartPolicy;
import dev.cast.bundle.ServiceSpec;
import dev.cast.bundle.StopSpec;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every service process on the host: starts them detached (own session and process group,
 * output through a logger in the same group), restarts them by their restart policy with
 * exponential backoff, gives up on a crash loop, checks their health all the time, and re-adopts
 * the ones still running when a new agent starts. {@link #close()} stops supervising and leaves the
 * services running.
 *
 * <p>Exits of processes this supervisor started are seen through {@link Process#onExit()}; adopted
 * ones are polled in {@code /proc} every 500 ms. All timers run on one small scheduled pool;
 * nothing spins.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  static final Duration ADOPTED_POLL = Duration.ofMillis(500);
  private static final Duration BUSY_RETRY = Duration.ofMillis(20);
  private static final StopSpec DEFAULT_STOP = new StopSpec("TERM", Duration.ofSeconds(10));
  private static final int THREADS = 4;
  private static final String DIED_WHILE_DOWN = "exited while the agent was down (status unknown)";

  private final HostSettings settings;
  private final SupervisorSettings config;
  private final PortAllocator ports;
  private final ServiceSwitches switches;
  private final Wrapper wrapper;
  private final Launcher launcher;
  private final HealthChecker checker = new HealthChecker();
  private final ScheduledThreadPoolExecutor scheduler;
  private final ConcurrentSkipListMap<String, Unit> units = new ConcurrentSkipListMap<>();
  private final List<Consumer<ServiceStatus>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /**
   * @param hostDb the host-local database, where the services' switches are kept
   * @param ports the host's port allocator, shared with release activation
   */
  public Supervisor(
      HostSettings settings, SupervisorSettings config, Jdbi hostDb, PortAllocator ports) {
    this.settings = settings;
    this.config = config;
    this.ports = ports;
    this.switches = new ServiceSwitches(hostDb);
    this.wrapper = new Wrapper(settings.dataDir());
    this.launcher = new Launcher(settings.hostName(), ports, wrapper, config);
    AtomicInteger threads = new AtomicInteger();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            THREADS,
            r -> {
              Thread t = new Thread(r, "cast-supervisor-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  /**
   * Writes the wrapper scripts, then takes over every service on the host: a service whose run file
   * shows a live process is adopted (no second process); one that should run but died while no
   * agent watched is restarted by its policy (an unknown exit counts as a failure); a disabled or
   * deliberately stopped one stays stopped.
   */
  public void start() throws IOException {
    wrapper.install();
    Path apps = settings.dataDir().resolve("apps");
    if (!Files.isDirectory(apps)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(apps)) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir)) {
          adoptApp(new AppLayout(dir));
        }
      }
    }
  }

  // ---- the API the agent and the api see -------------------------------------------------------

  /** Every service on the host, by app then service. */
  public List<ServiceStatus> statuses() {
    List<ServiceStatus> all = new ArrayList<>();
    for (Unit unit : units.values()) {
      all.add(status(unit));
    }
    return all;
  }

  public Optional<ServiceStatus> status(String app, String service) {
    return Optional.ofNullable(units.get(Unit.key(app, service))).map(this::status);
  }

  /** Called, on a supervisor thread, after every change of a service's state or health status. */
  public void addListener(Consumer<ServiceStatus> listener) {
    listeners.add(listener);
  }

  /** The file a service's output goes to; rotated files are {@code <file>.1} (newest) and up. */
  public Path logFile(String app, String service) {
    return settings.layout().app(app).serviceLog(service);
  }

  /** Stops supervising and checking. The services keep running; the next agent adopts them. */
  @Override
  public void close() {
    closed = true;
    for (Unit unit : units.values()) {
      synchronized (unit) {
        unit.cancelTimers();
      }
    }
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- deliberate operations on one service of the current release ----------------------------

  /**
   * Starts the service unless it runs; a failed or stopped one starts again with its restart count
   * and backoff reset.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_NOT_FOUND, SERVICE_DISABLED,
   *     SERVICE_START_FAILED
   */
  public ServiceStatus startService(String app, String service) throws IOException {
    return onService(
        app,
        service,
        (unit, target) -> {
          requireEnabled(unit);
          wish(unit, true, true);
          startDeliberately(unit, target, () -> {});
        });
  }

  /** One deliberate step on one service of the current release, under the service's lock. */
  private interface Step {
    void run(Unit unit, Target target) throws IOException;
  }

  private ServiceStatus onService(String app, String service, Step step) throws IOException {
    Target target = current(app, service);
    Unit unit = unit(target.layout(), service);
    unit.op.lock();
    try {
      step.run(unit, target);
    } finally {
      unit.op.unlock();
    }
    return status(unit);
  }

  /** Stops the whole process group (signal, grace, KILL); it stays stopped until started. */
  public ServiceStatus stopService(String app, String service, Runnable tick) throws IOException {
    return onService(
        app,
        service,
        (unit, target) -> {
          wish(unit, unit.enabled, false);
          stopUnits(List.of(unit), tick);
          setState(unit, unit.enabled ? Unit.State.STOPPED : Unit.State.DISABLED);
        });
  }

  /**
   * Stops the service then starts it again (a failed one included).
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_NOT_FOUND, SERVICE_DISABLED
   */
  public ServiceStatus restartService(String app, String service, Runnable tick)
      throws IOException {
    return onService(
        app,
        service,
        (unit, target) -> {
          requireEnabled(unit);
          wish(unit, true, true);
          stopUnits(List.of(unit), tick);
          startDeliberately(unit, target, tick);
        });
  }

  /** Marks the service enabled and starts it. */
  public ServiceStatus enableService(String app, String service) throws IOException {
    return onService(
        app,
        service,
        (unit, target) -> {
          wish(unit, true, true);
          startDeliberately(unit, target, () -> {});
        });
  }

  /**
   * Stops the service and marks it disabled: it stays stopped across agent restarts and deploys
   * until enabled.
   */
  public ServiceStatus disableService(String app, String service, Runnable tick)
      throws IOException {
    return onService(
        app,
        service,
        (unit, target) -> {
          wish(unit, false, unit.wantedRunning);
          stopUnits(List.of(unit), tick);
          setState(unit, Unit.State.DISABLED);
        });
  }

  // ---- what release activation needs -----------------------------------------------------------

  /**
   * Stops every service of the app, except those running {@code keepVersion} (null: stop all).
   * Deliberate, but not a wish: the services stay wanted running.
   */
  public void stopApp(String app, String keepVersion, Runnable tick) throws IOException {
    List<Unit> chosen = new ArrayList<>();
    for (Unit unit : unitsOf(app)) {
      boolean keep;
      synchronized (unit) {
        keep = keepVersion != null && keepVersion.equals(unit.version) && alive(unit.proc);
      }
      if (!keep) {
        chosen.add(unit);
      }
    }
    // Units are locked in key order, the order every multi-unit operation uses.
    for (Unit unit : chosen) {
      unit.op.lock();
    }
    try {
      stopUnits(chosen, tick);
      for (Unit unit : chosen) {
        setState(unit, unit.enabled ? Unit.State.STOPPED : Unit.State.DISABLED);
      }
    } finally {
      for (Unit unit : chosen) {
        unit.op.unlock();
      }
    }
  }

  /**
   * Starts every enabled service of the release that does not run it already, and drops the stopped
   * services the release no longer has. A disabled service is left stopped.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_START_FAILED, PORT_IN_USE
   */
  public void ensureRunning(String app, String version, Manifest manifest) throws IOException {
    AppLayout layout = settings.layout().app(app);
    for (Map.Entry<String, ServiceSpec> e : manifest.services().entrySet()) {
      Unit unit = unit(layout, e.getKey());
      unit.op.lock();
      try {
        if (!unit.enabled) {
          synchronized (unit) {
            unit.version = version;
            unit.spec = e.getValue();
          }
          setState(unit, Unit.State.DISABLED);
          continue;
        }
        wish(unit, true, true);
        Target target = new Target(layout, version, e.getValue());
        synchronized (unit) {
          if (alive(unit.proc) && version.equals(unit.version)) {
            unit.restarts = 0;
            unit.lastExit = null;
            continue;
          }
        }
        stopUnits(List.of(unit), () -> {});
        startDeliberately(unit, target, () -> {});
      } finally {
        unit.op.unlock();
      }
    }
    for (Unit unit : unitsOf(app)) {
      if (!manifest.services().containsKey(unit.service)) {
        dropIfStopped(unit);
      }
    }
  }

  /** Forgets the app's services that do not run (after its last release was reverted away). */
  public void forgetStopped(String app) {
    for (Unit unit : unitsOf(app)) {
      dropIfStopped(unit);
    }
  }

  /** Whether every enabled service of the release runs it. */
  public boolean allRunning(String app, String version, Manifest manifest) {
    for (String service : manifest.services().keySet()) {
      Unit unit = units.get(Unit.key(app, service));
      if (unit == null) {
        return false;
      }
      synchronized (unit) {
        if (unit.enabled && !(alive(unit.proc) && version.equals(unit.version))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Gives back the ports and switches of the app's services that no retained release has, after
   * pruning.
   */
  public void pruned(String app, Set<String> retainedServices) {
    Set<String> gone = new TreeSet<>(ports.services(app));
    for (Unit unit : unitsOf(app)) {
      gone.add(unit.service);
    }
    gone.removeAll(retainedServices);
    for (String service : gone) {
      Unit unit = units.get(Unit.key(app, service));
      if (unit != null && !dropIfStopped(unit)) {
        continue;
      }
      ports.release(app, service);
      switches.forget(app, service);
    }
  }

  /**
   * What the supervisor knows of one service.
   *
   * @param running the run record of its live process, if one runs
   * @param restartPending a restart after a crash is scheduled
   * @param lastExit how its last process ended, or null
   */
  public record Snapshot(
      String version,
      String state,
      boolean enabled,
      Optional<RunRecord> running,
      int restarts,
      boolean restartPending,
      String lastExit) {}

  public Optional<Snapshot> snapshot(String app, String service) {
    Unit unit = units.get(Unit.key(app, service));
    if (unit == null) {
      return Optional.empty();
    }
    synchronized (unit) {
      Unit.Proc proc = unit.proc;
      return Optional.of(
          new Snapshot(
              unit.version,
              unit.state.word,
              unit.enabled,
              alive(proc) ? Optional.of(proc.record()) : Optional.empty(),
              unit.restarts,
              unit.state == Unit.State.STARTING,
              unit.lastExit));
    }
  }

  /**
   * Runs the service's health check now against its running process and records the outcome in its
   * health status; empty when no process runs. A service without a check passes while it runs.
   */
  public Optional<CheckResult> checkNow(String app, String service, Runnable tick)
      throws IOException {
    Unit unit = units.get(Unit.key(app, service));
    if (unit == null) {
      return Optional.empty();
    }
    Unit.Proc proc;
    synchronized (unit) {
      proc = unit.proc;
    }
    if (!alive(proc)) {
      return Optional.empty();
    }
    CheckResult result = runCheck(unit, proc, tick);
    record(unit, proc, result);
    return Optional.of(result);
  }

  // ---- adoption --------------------------------------------------------------------------------

  private void adoptApp(AppLayout layout) throws IOException {
    String current = ReleaseLinks.version(layout.current());
    Map<String, RunRecord> records = RunFiles.list(layout.runDir());
    Set<String> names = new TreeSet<>(records.keySet());
    Optional<Manifest> manifest =
        current == null ? Optional.empty() : ReleaseManifests.find(layout, current);
    manifest.ifPresent(m -> names.addAll(m.services().keySet()));
    for (String service : names) {
      RunRecord record = records.get(service);
      String version = record != null ? record.version() : current;
      ServiceSpec spec = specOf(layout, version, service);
      if (spec == null) {
        adoptUnknown(layout, service, record);
        continue;
      }
      Unit unit = unit(layout, service);
      unit.op.lock();
      try {
        adopt(unit, new Target(layout, version, spec), record, version.equals(current));
      } catch (IOException | RuntimeException e) {
        log.warn("could not take over {}/{}: {}", layout.app(), service, e.getMessage());
        synchronized (unit) {
          unit.lastExit = "could not start: " + e.getMessage();
        }
        setState(unit, Unit.State.FAILED);
      } finally {
        unit.op.unlock();
      }
    }
  }

  private void adopt(Unit unit, Target target, RunRecord record, boolean isCurrent)
      throws IOException {
    synchronized (unit) {
      unit.version = target.version();
      unit.spec = target.spec();
      unit.nextDelay = config.backoffInitial();
    }
    if (record != null && record.exit() == null && record.alive()) {
      synchronized (unit) {
        unit.restarts = record.restarts();
      }
      Unit.Proc proc = new Unit.Proc(record.pid(), record.startInstant(), null, record);
      running(unit, proc, record.startInstant());
      log.info("adopted {}/{} (pid {})", unit.app, unit.service, record.pid());
      return;
    }
    if (record != null && record.exit() == null) {
      GroupStop.killRemains(record.pid());
    }
    if (!unit.enabled) {
      setState(unit, Unit.State.DISABLED);
    } else if (record != null && record.exit() != null) {
      synchronized (unit) {
        unit.lastRecord = record;
        unit.lastExit = record.exit();
        unit.restarts = record.restarts();
      }
      setState(unit, record.failed() ? Unit.State.FAILED : Unit.State.STOPPED);
    } else if (!unit.wantedRunning) {
      setState(unit, Unit.State.STOPPED);
    } else if (record != null) {
      synchronized (unit) {
        unit.lastRecord = record;
        unit.restarts = record.restarts();
      }
      log.info("{}/{} {}", unit.app, unit.service, DIED_WHILE_DOWN);
      afterExit(unit, true, DIED_WHILE_DOWN);
    } else if (isCurrent) {
      startDeliberately(unit, target, () -> {});
    }
  }

  /** A run file no staged release explains: adopt a live process so it can be stopped. */
  private void adoptUnknown(AppLayout layout, String service, RunRecord record) throws IOException {
    if (record == null || record.exit() != null || !record.alive()) {
      Files.deleteIfExists(layout.runFile(service));
      return;
    }
    Unit unit = unit(layout, service);
    synchronized (unit) {
      unit.version = record.version();
      unit.spec =
          new ServiceSpec(List.of(), Map.of(), List.of(), null, DEFAULT_STOP, RestartPolicy.NEVER);
      unit.restarts = record.restarts();
    }
    running(unit, new Unit.Proc(record.pid(), record.startInstant(), null, record), null);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Starts the target's process unless it runs; resets restart counting. Holds the unit's op. */
  private void startDeliberately(Unit unit, Target target, Runnable tick) throws IOException {
    synchronized (unit) {
      unit.generation++;
      unit.cancelTimers();
      unit.recentRestarts.clear();
      unit.nextDelay = config.backoffInitial();
      if (alive(unit.proc) && target.version().equals(unit.version)) {
        restartWatches(unit);
        unit.state = Unit.State.RUNNING;
        return;
      }
      unit.restarts = 0;
    }
    if (unit.proc != null) {
      stopUnits(List.of(unit), tick);
    }
    try {
      launch(unit, target.version(), target.spec(), 0);
    } catch (IOException | RuntimeException e) {
      synchronized (unit) {
        unit.lastExit = "could not start: " + e.getMessage();
      }
      setState(unit, Unit.State.STOPPED);
      throw e;
    }
  }

  private void launch(Unit unit, String version, ServiceSpec spec, int restarts)
      throws IOException {
    Unit.Proc proc = launcher.launch(unit.layout, unit.service, version, spec, restarts);
    synchronized (unit) {
      unit.version = version;
      unit.spec = spec;
      unit.restarts = restarts;
    }
    running(unit, proc, Instant.now());
  }

  /** Records a running process and starts watching it and checking its health. */
  private void running(Unit unit, Unit.Proc proc, Instant upSince) {
    synchronized (unit) {
      unit.cancelTimers();
      unit.proc = proc;
      unit.lastRecord = proc.record();
      unit.upSince = upSince;
      unit.state = Unit.State.RUNNING;
      boolean hasCheck = unit.spec.health() != null;
      unit.health.reset(
          hasCheck ? HealthStatus.UNKNOWN : HealthStatus.PASSING,
          hasCheck ? "not checked yet" : "process " + proc.pid() + " is running");
      restartWatches(unit);
    }
    fire(unit);
  }

  /** (Re)schedules exit detection and health checks of the unit's process. Holds the monitor. */
  private void restartWatches(Unit unit) {
    Unit.Proc proc = unit.proc;
    if (closed || proc == null) {
      return;
    }
    try {
      if (proc.process() != null) {
        proc.process().onExit().thenRunAsync(() -> exited(unit, proc), scheduler);
      } else if (unit.watch == null) {
        long every = ADOPTED_POLL.toMillis();
        unit.watch =
            scheduler.scheduleWithFixedDelay(
                () -> pollAdopted(unit, proc), every, every, TimeUnit.MILLISECONDS);
      }
      if (unit.spec.health() != null && unit.healthTask == null) {
        long every = Math.max(10, unit.spec.health().interval().toMillis());
        unit.healthTask =
            scheduler.scheduleWithFixedDelay(
                () -> scheduledCheck(unit, proc), every, every, TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // Closing: nothing more is watched.
    }
  }

  private void pollAdopted(Unit unit, Unit.Proc proc) {
    if (!ProcessIdentity.isRunning(proc.pid(), proc.startedAt())) {
      exited(unit, proc);
    }
  }

  /** A process ended on its own: clean up its group and let the restart policy decide. */
  private void exited(Unit unit, Unit.Proc proc) {
    if (closed) {
      return;
    }
    if (!unit.op.tryLock()) {
      // A deliberate operation runs; it either owns this process now or is about to.
      later(() -> exited(unit, proc), BUSY_RETRY);
      return;
    }
    try {
      synchronized (unit) {
        if (unit.proc != proc) {
          return;
        }
        unit.proc = null;
        unit.cancelTimers();
      }
      boolean failure = true;
      String how = "exited (status unknown)";
      if (proc.process() != null) {
        int code = proc.process().exitValue();
        failure = code != 0;
        how = code > 128 ? "killed by signal " + (code - 128) : "exited with code " + code;
      }
      GroupStop.killRemains(proc.pid());
      afterExit(unit, failure, how);
    } catch (IOException | RuntimeException e) {
      log.warn("handling the exit of {}/{} failed", unit.app, unit.service, e);
    } finally {
      unit.op.unlock();
    }
  }

  /** The restart policy, backoff and crash-loop detection. Holds the unit's op. */
  private void afterExit(Unit unit, boolean failure, String how) throws IOException {
    Instant now = Instant.now();
    Unit.State next;
    RunRecord ended = null;
    synchronized (unit) {
      unit.lastExit = how;
      RestartPolicy policy = unit.spec.restart();
      boolean restart =
          policy == RestartPolicy.ALWAYS || (policy == RestartPolicy.ON_FAILURE && failure);
      if (unit.upSince != null
          && Duration.between(unit.upSince, now).compareTo(config.backoffReset()) >= 0) {
        unit.nextDelay = config.backoffInitial();
      }
      Instant windowStart = now.minus(config.crashLoopWindow());
      while (!unit.recentRestarts.isEmpty()
          && unit.recentRestarts.peekFirst().isBefore(windowStart)) {
        unit.recentRestarts.pollFirst();
      }
      if (!restart) {
        next = Unit.State.STOPPED;
      } else if (unit.recentRestarts.size() >= config.crashLoopRestarts()) {
        next = Unit.State.FAILED;
        unit.lastExit =
            how
                + "; gave up after "
                + unit.recentRestarts.size()
                + " restarts within "
                + config.crashLoopWindow().toSeconds()
                + "s";
        log.warn("{}/{} is crash-looping: {}", unit.app, unit.service, unit.lastExit);
      } else {
        next = Unit.State.STARTING;
        unit.recentRestarts.addLast(now);
        Duration delay = unit.nextDelay == null ? config.backoffInitial() : unit.nextDelay;
        Duration doubled = delay.multipliedBy(2);
        unit.nextDelay = doubled.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : doubled;
        long generation = unit.generation;
        unit.pendingRestart = later(() -> restartAfterBackoff(unit, generation), delay);
        log.info("{}/{} {}; restarting in {} ms", unit.app, unit.service, how, delay.toMillis());
      }
      unit.state = next;
      unit.health.reset(HealthStatus.CRITICAL, unit.lastExit);
      if (next != Unit.State.STARTING && unit.lastRecord != null) {
        ended = unit.lastRecord.ended(unit.lastExit, next == Unit.State.FAILED);
        unit.lastRecord = ended;
      }
    }
    if (ended != null) {
      // Kept, so the next agent knows the service ended for good rather than died unwatched.
      RunFiles.write(unit.layout.runFile(unit.service), ended);
    }
    fire(unit);
  }

  private void restartAfterBackoff(Unit unit, long generation) {
    if (closed) {
      return;
    }
    if (!unit.op.tryLock()) {
      later(() -> restartAfterBackoff(unit, generation), BUSY_RETRY);
      return;
    }
    try {
      int restarts;
      synchronized (unit) {
        if (unit.generation != generation || unit.state != Unit.State.STARTING) {
          return;
        }
        unit.pendingRestart = null;
        restarts = unit.restarts + 1;
      }
      try {
        launch(unit, unit.version, unit.spec, restarts);
      } catch (IOException | RuntimeException e) {
        log.warn("could not restart {}/{}: {}", unit.app, unit.service, e.getMessage());
        synchronized (unit) {
          unit.restarts = restarts;
        }
        afterExit(unit, true, "could not restart: " + e.getMessage());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("restarting {}/{} failed", unit.app, unit.service, e);
    } finally {
      unit.op.unlock();
    }
  }

  /**
   * Stops the units' process groups, all signalled before any is waited for, and removes their run
   * files. Cancels pending restarts. Holds every unit's op.
   */
  private void stopUnits(List<Unit> chosen, Runnable tick) throws IOException {
    List<GroupStop.Target> targets = new ArrayList<>();
    for (Unit unit : chosen) {
      Unit.Proc proc;
      RunRecord record;
      StopSpec stop;
      synchronized (unit) {
        unit.generation++;
        unit.cancelTimers();
        proc = unit.proc;
        record = unit.lastRecord;
        unit.proc = null;
        stop = unit.spec == null ? DEFAULT_STOP : unit.spec.stop();
      }
      if (proc != null) {
        targets.add(
            new GroupStop.Target(
                proc.pid(), proc.startedAt(), proc.process(), stop.signal(), stop.grace()));
      } else if (record != null) {
        // Whatever may be left of an earlier process's group.
        targets.add(
            new GroupStop.Target(
                record.pid(), record.startInstant(), null, stop.signal(), stop.grace()));
      }
    }
    GroupStop.stopAll(targets, tick);
    for (Unit unit : chosen) {
      Files.deleteIfExists(unit.layout.runFile(unit.service));
      synchronized (unit) {
        unit.lastRecord = null;
        unit.health.reset(HealthStatus.CRITICAL, "not running");
      }
    }
  }

  private boolean dropIfStopped(Unit unit) {
    if (!unit.op.tryLock()) {
      return false;
    }
    try {
      synchronized (unit) {
        if (unit.proc != null) {
          return false;
        }
        unit.generation++;
        unit.cancelTimers();
        units.remove(Unit.key(unit.app, unit.service), unit);
      }
      Files.deleteIfExists(unit.layout.runFile(unit.service));
      return true;
    } catch (IOException e) {
      log.warn("could not remove the run file of {}/{}", unit.app, unit.service, e);
      return true;
    } finally {
      unit.op.unlock();
    }
  }

  // ---- health ----------------------------------------------------------------------------------

  private void scheduledCheck(Unit unit, Unit.Proc proc) {
    synchronized (unit) {
      if (closed || unit.proc != proc) {
        return;
      }
    }
    try {
      record(unit, proc, runCheck(unit, proc, () -> {}));
    } catch (IOException | RuntimeException e) {
      record(unit, proc, new CheckResult(false, "check could not run: " + e.getMessage()));
    }
  }

  private CheckResult runCheck(Unit unit, Unit.Proc proc, Runnable tick) throws IOException {
    ServiceSpec spec;
    String version;
    synchronized (unit) {
      spec = unit.spec;
      version = unit.version;
    }
    if (spec.health() == null) {
      return new CheckResult(true, "process " + proc.pid() + " is running");
    }
    Map<String, Integer> servicePorts = proc.record().ports();
    Map<String, String> env =
        ServiceEnvironment.build(
            spec.env(), spec.ports(), servicePorts, unit.app, version, settings.hostName());
    return checker.check(spec.health(), servicePorts, unit.layout.releaseDir(version), env, tick);
  }

  private void record(Unit unit, Unit.Proc proc, CheckResult result) {
    boolean changed;
    synchronized (unit) {
      if (unit.proc != proc) {
        return;
      }
      int failures = unit.spec.health() == null ? 1 : unit.spec.health().failures();
      changed = unit.health.record(result.passed(), result.output(), failures);
    }
    if (changed) {
      fire(unit);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** A service of a release. */
  private record Target(AppLayout layout, String version, ServiceSpec spec) {}

  /**
   * The service in the app's current release.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_NOT_FOUND
   */
  private Target current(String app, String service) throws IOException {
    AppLayout layout = settings.layout().app(app);
    String version = ReleaseLinks.version(layout.current());
    if (version == null) {
      throw ApplicationFailures.permanent(
          DeployFailure.SERVICE_NOT_FOUND,
          "app " + app + " has no current release on host " + settings.hostName());
    }
    Manifest manifest = ReleaseManifests.load(layout, version);
    ServiceSpec spec = manifest.services().get(service);
    if (spec == null) {
      throw ApplicationFailures.permanent(
          DeployFailure.SERVICE_NOT_FOUND,
          "service "
              + service
              + " is not in "
              + app
              + " "
              + version
              + " on host "
              + settings.hostName()
              + " (it has "
              + String.join(", ", manifest.services().keySet())
              + ")");
    }
    return new Target(layout, version, spec);
  }

  private void requireEnabled(Unit unit) {
    if (!unit.enabled) {
      throw ApplicationFailures.permanent(
          DeployFailure.SERVICE_DISABLED,
          "service "
              + unit.service
              + " of "
              + unit.app
              + " is disabled on host "
              + settings.hostName()
              + "; enable it first");
    }
  }

  private static ServiceSpec specOf(AppLayout layout, String version, String service) {
    if (version == null) {
      return null;
    }
    return ReleaseManifests.find(layout, version).map(m -> m.services().get(service)).orElse(null);
  }

  private Unit unit(AppLayout layout, String service) {
    return units.computeIfAbsent(
        Unit.key(layout.app(), service),
        k -> {
          Unit unit = new Unit(layout.app(), service, layout);
          ServiceSwitches.Wishes wishes = switches.get(layout.app(), service);
          unit.enabled = wishes.enabled();
          unit.wantedRunning = wishes.wantedRunning();
          unit.nextDelay = config.backoffInitial();
          return unit;
        });
  }

  private List<Unit> unitsOf(String app) {
    return new ArrayList<>(units.subMap(app + "/", app + "0").values());
  }

  private void wish(Unit unit, boolean enabled, boolean wantedRunning) {
    synchronized (unit) {
      if (unit.enabled == enabled && unit.wantedRunning == wantedRunning) {
        return;
      }
    }
    switches.set(unit.app, unit.service, new ServiceSwitches.Wishes(enabled, wantedRunning));
    synchronized (unit) {
      unit.enabled = enabled;
      unit.wantedRunning = wantedRunning;
    }
  }

  private void setState(Unit unit, Unit.State state) {
    synchronized (unit) {
      unit.state = state;
      if (state != Unit.State.RUNNING) {
        String why = state == Unit.State.DISABLED ? "disabled" : "not running";
        unit.health.reset(HealthStatus.CRITICAL, unit.lastExit == null ? why : unit.lastExit);
      }
    }
    fire(unit);
  }

  private static boolean alive(Unit.Proc proc) {
    if (proc == null) {
      return false;
    }
    // A child is gone from /proc a moment before the JVM's reaper marks its Process exited: a
    // deliberate start in that moment must not take the dead process for a running one.
    return proc.process() != null
        ? proc.process().isAlive() && ProcStat.read(proc.pid()).map(ProcStat::running).orElse(false)
        : ProcessIdentity.isRunning(proc.pid(), proc.startedAt());
  }

  private java.util.concurrent.ScheduledFuture<?> later(Runnable task, Duration delay) {
    try {
      return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private ServiceStatus status(Unit unit) {
    synchronized (unit) {
      Unit.Proc proc = unit.proc;
      boolean running = proc != null;
      Instant since = unit.health.since();
      return new ServiceStatus(
          settings.hostName(),
          unit.app,
          unit.service,
          unit.version,
          unit.state.word,
          running ? proc.pid() : null,
          running ? proc.startedAt().toString() : null,
          unit.restarts,
          running ? unit.health.status() : HealthStatus.CRITICAL,
          unit.health.output(),
          since == null ? null : since.toString(),
          unit.enabled);
    }
  }

  private void fire(Unit unit) {
    if (listeners.isEmpty() || closed) {
      return;
    }
    ServiceStatus status = status(unit);
    try {
      scheduler.execute(
          () -> {
            for (Consumer<ServiceStatus> listener : listeners) {
              try {
                listener.accept(status);
              } catch (RuntimeException e) {
                log.warn("a service status listener failed", e);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }
}
