package dev.cast.activities.supervisor;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.process.RunFiles;
import dev.cast.activities.process.RunRecord;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.RestartPolicy;
import dev.cast.bundle.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over an app's services when a new agent starts, from their run files and the app's current
 * release: a service whose run file shows a live process is adopted (no second process); one that
 * should run but died while no agent watched is restarted by its policy (an unknown exit counts as
 * a failure); a disabled or deliberately stopped one stays stopped.
 */
final class Adoption {
  private static final Logger log = LoggerFactory.getLogger(Adoption.class);
  private static final String DIED_WHILE_DOWN = "exited while the agent was down (status unknown)";

  private final StatusBoard board;
  private final Lifecycle lifecycle;

  Adoption(StatusBoard board, Lifecycle lifecycle) {
    this.board = board;
    this.lifecycle = lifecycle;
  }

  /** Takes over every service of the app that has a run file or is in its current release. */
  void adoptApp(AppLayout layout) throws IOException {
    String current = ReleaseLinks.version(layout.current());
    Map<String, RunRecord> records = RunFiles.list(layout.runDir());
    Set<String> names = new TreeSet<>(records.keySet());
    Optional<Manifest> manifest =
        current == null ? Optional.empty() : ReleaseManifests.find(layout, current);
    manifest.ifPresent(m -> names.addAll(m.services().keySet()));
    for (String service : names) {
      RunRecord record = records.get(service);
      String version = record != null ? record.version() : current;
      ServiceSpec spec = Target.specOf(layout, version, service);
      if (spec == null) {
        adoptUnknown(layout, service, record);
        continue;
      }
      Unit unit = board.unit(layout, service);
      unit.op.lock();
      try {
        adopt(unit, new Target(layout, version, spec), record, version.equals(current));
      } catch (IOException | RuntimeException e) {
        log.warn("could not take over {}/{}: {}", layout.app(), service, e.getMessage());
        synchronized (unit) {
          unit.lastExit = "could not start: " + e.getMessage();
        }
        board.setState(unit, Unit.State.FAILED);
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
      unit.restartDecider.reset();
    }
    if (record != null && record.exit() == null && record.alive()) {
      synchronized (unit) {
        unit.restarts = record.restarts();
      }
      Unit.Proc proc = new Unit.Proc(record.pid(), record.startInstant(), null, record);
      lifecycle.running(unit, proc, record.startInstant());
      log.info("adopted {}/{} (pid {})", unit.app, unit.service, record.pid());
      return;
    }
    if (record != null && record.exit() == null) {
      GroupStop.killRemains(record.pid());
    }
    if (!unit.enabled) {
      board.setState(unit, Unit.State.DISABLED);
    } else if (record != null && record.exit() != null) {
      synchronized (unit) {
        unit.lastRecord = record;
        unit.lastExit = record.exit();
        unit.restarts = record.restarts();
      }
      board.setState(unit, record.failed() ? Unit.State.FAILED : Unit.State.STOPPED);
    } else if (!unit.wantedRunning) {
      board.setState(unit, Unit.State.STOPPED);
    } else if (record != null) {
      synchronized (unit) {
        unit.lastRecord = record;
        unit.restarts = record.restarts();
      }
      log.info("{}/{} {}", unit.app, unit.service, DIED_WHILE_DOWN);
      lifecycle.afterExit(unit, true, DIED_WHILE_DOWN);
    } else if (isCurrent) {
      lifecycle.startDeliberately(unit, target, () -> {});
    }
  }

  /** A run file no staged release explains: adopt a live process so it can be stopped. */
  private void adoptUnknown(AppLayout layout, String service, RunRecord record) throws IOException {
    if (record == null || record.exit() != null || !record.alive()) {
      Files.deleteIfExists(layout.runFile(service));
      return;
    }
    Unit unit = board.unit(layout, service);
    synchronized (unit) {
      unit.version = record.version();
      unit.spec =
          new ServiceSpec(
              List.of(), Map.of(), List.of(), null, Lifecycle.DEFAULT_STOP, RestartPolicy.NEVER);
      unit.restarts = record.restarts();
    }
    lifecycle.running(unit, new Unit.Proc(record.pid(), record.startInstant(), null, record), null);
  }
}
