package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLayout;
import dev.cast.workflows.host.ServiceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every supervised unit of the host by app and service, the {@link ServiceStatus} read from each,
 * and the listeners told, on a supervisor thread, of every change of a unit's state or health.
 */
final class StatusBoard {
  private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);

  private final String hostName;
  private final Timers timers;
  private final BiFunction<AppLayout, String, Unit> newUnit;
  private final ConcurrentSkipListMap<String, Unit> units = new ConcurrentSkipListMap<>();
  private final List<Consumer<ServiceStatus>> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param newUnit builds the unit of a service the board does not have yet
   */
  StatusBoard(String hostName, Timers timers, BiFunction<AppLayout, String, Unit> newUnit) {
    this.hostName = hostName;
    this.timers = timers;
    this.newUnit = newUnit;
  }

  /** The service's unit, made on first use. */
  Unit unit(AppLayout layout, String service) {
    return units.computeIfAbsent(
        Unit.key(layout.app(), service), k -> newUnit.apply(layout, service));
  }

  Optional<Unit> find(String app, String service) {
    return Optional.ofNullable(units.get(Unit.key(app, service)));
  }

  /** The app's units, in key order: the order every multi-unit operation locks them in. */
  List<Unit> unitsOf(String app) {
    return new ArrayList<>(units.subMap(app + "/", app + "0").values());
  }

  List<Unit> all() {
    return new ArrayList<>(units.values());
  }

  /** Forgets the unit unless another has taken its key since. */
  void remove(Unit unit) {
    units.remove(Unit.key(unit.app, unit.service), unit);
  }

  /** Every service on the host, by app then service. */
  List<ServiceStatus> statuses() {
    List<ServiceStatus> all = new ArrayList<>();
    for (Unit unit : units.values()) {
      all.add(status(unit));
    }
    return all;
  }

  void addListener(Consumer<ServiceStatus> listener) {
    listeners.add(listener);
  }

  /** Sets the unit's state; a unit that does not run is critical, saying why. */
  void setState(Unit unit, Unit.State state) {
    synchronized (unit) {
      unit.state = state;
      if (state != Unit.State.RUNNING) {
        String why = state == Unit.State.DISABLED ? "disabled" : "not running";
        unit.health.reset(HealthStatus.CRITICAL, unit.lastExit == null ? why : unit.lastExit);
      }
    }
    fire(unit);
  }

  ServiceStatus status(Unit unit) {
    synchronized (unit) {
      Unit.Proc proc = unit.proc;
      boolean running = proc != null;
      Instant since = unit.health.since();
      return new ServiceStatus(
          hostName,
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

  /** Tells the listeners the unit's status as it is now, on a supervisor thread. */
  void fire(Unit unit) {
    if (listeners.isEmpty() || timers.closed()) {
      return;
    }
    ServiceStatus status = status(unit);
    timers.execute(
        () -> {
          for (Consumer<ServiceStatus> listener : listeners) {
            try {
              listener.accept(status);
            } catch (RuntimeException e) {
              log.warn("a service status listener failed", e);
            }
          }
        });
  }
}
