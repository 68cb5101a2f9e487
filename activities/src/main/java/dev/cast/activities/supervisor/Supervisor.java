package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.process.ProcessGroups;
import dev.cast.activities.process.RunRecord;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ServiceSpec;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * Owns every service process on the host: starts them detached (own session and process group,
 * output through a logger in the same group), restarts them by their restart policy with
 * exponential backoff, gives up on a crash loop, checks their health all the time, and re-adopts
 * the ones still running when a new agent starts. {@link #close()} stops supervising and leaves the
 * services running.
 *
 * <p>This is the facade the agent, the activities and the api see. It takes each unit's op lock for
 * a deliberate operation and leaves the work to its parts: {@link Adoption} at start, {@link
 * Lifecycle} (with its {@link RestartDecider}) for starting, watching, restarting and stopping
 * processes, {@link HealthLoop} for the checks and {@link StatusBoard} for the statuses and their
 * listeners. All timers run on one small scheduled pool ({@link Timers}); nothing spins. It stays a
 * little over 400 lines because every public operation takes the unit lock here, in one place.
 */
public final class Supervisor implements AutoCloseable {
  private final HostSettings settings;
  private final PortAllocator ports;
  private final ServiceSwitches switches;
  private final Wrapper wrapper;
  private final Timers timers = new Timers();
  private final StatusBoard board;
  private final HealthLoop health;
  private final Lifecycle lifecycle;
  private final Adoption adoption;

  /**
   * @param hostDb the host-local database, where the services' switches are kept
   * @param ports the host's port allocator, shared with release activation
   */
  public Supervisor(
      HostSettings settings, SupervisorSettings config, Jdbi hostDb, PortAllocator ports) {
    this.settings = settings;
    this.ports = ports;
    this.switches = new ServiceSwitches(hostDb);
    this.wrapper = new Wrapper(settings.dataDir());
    this.board =
        new StatusBoard(
            settings.hostName(),
            timers,
            (layout, service) -> {
              Unit unit = new Unit(layout.app(), service, layout, new RestartDecider(config));
              ServiceSwitches.Wishes wishes = switches.get(layout.app(), service);
              unit.enabled = wishes.enabled();
              unit.wantedRunning = wishes.wantedRunning();
              return unit;
            });
    this.health = new HealthLoop(settings.hostName(), timers, board);
    Launcher launcher = new Launcher(settings.hostName(), ports, wrapper, config);
    this.lifecycle = new Lifecycle(launcher, timers, board, health);
    this.adoption = new Adoption(board, lifecycle);
  }

  /**
   * Writes the wrapper scripts, then takes over every service on the host (see {@link Adoption}).
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
          adoption.adoptApp(new AppLayout(dir));
        }
      }
    }
  }

  // ---- the API the agent and the api see -------------------------------------------------------

  /** Every service on the host, by app then service. */
  public List<ServiceStatus> statuses() {
    return board.statuses();
  }

  public Optional<ServiceStatus> status(String app, String service) {
    return board.find(app, service).map(board::status);
  }

  /** Called, on a supervisor thread, after every change of a service's state or health status. */
  public void addListener(Consumer<ServiceStatus> listener) {
    board.addListener(listener);
  }

  /** The file a service's output goes to; rotated files are {@code <file>.1} (newest) and up. */
  public Path logFile(String app, String service) {
    return settings.layout().app(app).serviceLog(service);
  }

  /** Stops supervising and checking. The services keep running; the next agent adopts them. */
  @Override
  public void close() {
    timers.closing();
    for (Unit unit : board.all()) {
      synchronized (unit) {
        unit.cancelTimers();
      }
    }
    timers.shutdown();
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
          lifecycle.startDeliberately(unit, target, () -> {});
        });
  }

  /** Stops the whole process group (signal, grace, KILL); it stays stopped until started. */
  public ServiceStatus stopService(String app, String service, Runnable tick) throws IOException {
    return onService(
        app,
        service,
        (unit, target) -> {
          wish(unit, unit.enabled, false);
          lifecycle.stopUnits(List.of(unit), tick);
          board.setState(unit, unit.enabled ? Unit.State.STOPPED : Unit.State.DISABLED);
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
          lifecycle.stopUnits(List.of(unit), tick);
          lifecycle.startDeliberately(unit, target, tick);
        });
  }

  /** Marks the service enabled and starts it. */
  public ServiceStatus enableService(String app, String service) throws IOException {
    return onService(
        app,
        service,
        (unit, target) -> {
          wish(unit, true, true);
          lifecycle.startDeliberately(unit, target, () -> {});
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
          lifecycle.stopUnits(List.of(unit), tick);
          board.setState(unit, Unit.State.DISABLED);
        });
  }

  /** One deliberate step on one service of the current release, under the service's lock. */
  private interface Step {
    void run(Unit unit, Target target) throws IOException;
  }

  private ServiceStatus onService(String app, String service, Step step) throws IOException {
    Target target = Target.current(settings, app, service);
    Unit unit = board.unit(target.layout(), service);
    unit.op.lock();
    try {
      step.run(unit, target);
    } finally {
      unit.op.unlock();
    }
    return board.status(unit);
  }

  // ---- what release activation needs -----------------------------------------------------------

  /**
   * Stops every service of the app, except those running {@code keepVersion} (null: stop all).
   * Deliberate, but not a wish: the services stay wanted running.
   */
  public void stopApp(String app, String keepVersion, Runnable tick) throws IOException {
    List<Unit> chosen = new ArrayList<>();
    for (Unit unit : board.unitsOf(app)) {
      boolean keep;
      synchronized (unit) {
        keep = keepVersion != null && keepVersion.equals(unit.version) && Unit.alive(unit.proc);
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
      lifecycle.stopUnits(chosen, tick);
      for (Unit unit : chosen) {
        board.setState(unit, unit.enabled ? Unit.State.STOPPED : Unit.State.DISABLED);
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
      Unit unit = board.unit(layout, e.getKey());
      unit.op.lock();
      try {
        ensureRunning(unit, new Target(layout, version, e.getValue()));
      } finally {
        unit.op.unlock();
      }
    }
    for (Unit unit : board.unitsOf(app)) {
      if (!manifest.services().containsKey(unit.service)) {
        lifecycle.dropIfStopped(unit);
      }
    }
  }

  /** Starts one service of the release unless it runs it or is disabled. Holds the unit's op. */
  private void ensureRunning(Unit unit, Target target) throws IOException {
    if (!unit.enabled) {
      synchronized (unit) {
        unit.version = target.version();
        unit.spec = target.spec();
      }
      board.setState(unit, Unit.State.DISABLED);
      return;
    }
    wish(unit, true, true);
    synchronized (unit) {
      if (Unit.alive(unit.proc) && target.version().equals(unit.version)) {
        unit.restarts = 0;
        unit.lastExit = null;
        return;
      }
    }
    lifecycle.stopUnits(List.of(unit), () -> {});
    lifecycle.startDeliberately(unit, target, () -> {});
  }

  /**
   * Sends {@code signal} (a name without SIG) to the process group of every service of the app that
   * runs {@code version}, without restarting anything; the services that got it.
   */
  public List<String> signalApp(String app, String version, String signal) throws IOException {
    List<String> signalled = new ArrayList<>();
    for (Unit unit : board.unitsOf(app)) {
      unit.op.lock();
      try {
        Unit.Proc proc;
        synchronized (unit) {
          proc = version.equals(unit.version) && Unit.alive(unit.proc) ? unit.proc : null;
        }
        if (proc != null) {
          ProcessGroups.signal(proc.pid(), signal);
          signalled.add(unit.service);
        }
      } finally {
        unit.op.unlock();
      }
    }
    return signalled;
  }

  /** Forgets the app's services that do not run (after its last release was reverted away). */
  public void forgetStopped(String app) {
    for (Unit unit : board.unitsOf(app)) {
      lifecycle.dropIfStopped(unit);
    }
  }

  /** Whether every enabled service of the release runs it. */
  public boolean allRunning(String app, String version, Manifest manifest) {
    for (String service : manifest.services().keySet()) {
      Optional<Unit> found = board.find(app, service);
      if (found.isEmpty()) {
        return false;
      }
      Unit unit = found.get();
      synchronized (unit) {
        if (unit.enabled && !(Unit.alive(unit.proc) && version.equals(unit.version))) {
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
    for (Unit unit : board.unitsOf(app)) {
      gone.add(unit.service);
    }
    gone.removeAll(retainedServices);
    for (String service : gone) {
      Optional<Unit> unit = board.find(app, service);
      if (unit.isPresent() && !lifecycle.dropIfStopped(unit.get())) {
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
    return board.find(app, service).map(Supervisor::snapshot);
  }

  private static Snapshot snapshot(Unit unit) {
    synchronized (unit) {
      Unit.Proc proc = unit.proc;
      return new Snapshot(
          unit.version,
          unit.state.word,
          unit.enabled,
          Unit.alive(proc) ? Optional.of(proc.record()) : Optional.empty(),
          unit.restarts,
          unit.state == Unit.State.STARTING,
          unit.lastExit);
    }
  }

  /**
   * Runs the service's health check now against its running process and records the outcome in its
   * health status; empty when no process runs. A service without a check passes while it runs.
   */
  public Optional<CheckResult> checkNow(String app, String service, Runnable tick)
      throws IOException {
    Optional<Unit> found = board.find(app, service);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Unit unit = found.get();
    Unit.Proc proc;
    synchronized (unit) {
      proc = unit.proc;
    }
    if (!Unit.alive(proc)) {
      return Optional.empty();
    }
    return Optional.of(health.checkNow(unit, proc, tick));
  }

  // ---- helpers ---------------------------------------------------------------------------------

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

  /** Records the service's switches, in the database first so they outlive this agent. */
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
}
