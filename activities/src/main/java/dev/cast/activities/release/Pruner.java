package dev.cast.activities.release;

import dev.cast.activities.config.ConfigPlaces;
import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.process.RunFiles;
import dev.cast.activities.process.RunRecord;
import dev.cast.activities.supervisor.Supervisor;
import dev.cast.bundle.FileTrees;
import dev.cast.workflows.host.PruneRequest;
import dev.cast.workflows.host.PruneResult;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes old releases: keeps the {@code keep} most recently staged ones and never the one {@code
 * current} or {@code previous} points at, nor one a service still runs. Services no retained
 * release has any more give back their ports.
 */
final class Pruner {
  private final HostSettings settings;
  private final Supervisor supervisor;

  Pruner(HostSettings settings, Supervisor supervisor) {
    this.settings = settings;
    this.supervisor = supervisor;
  }

  PruneResult prune(PruneRequest request) throws IOException {
    if (request.keep() < 0) {
      throw ApplicationFailures.permanent(
          DeployFailure.INVALID_REQUEST, "keep must not be negative, got " + request.keep());
    }
    AppLayout app = settings.layout().app(request.app());
    List<String> newestFirst = releases(app);
    Set<String> protectedVersions = inUse(app);
    List<String> removed = new ArrayList<>();
    for (String version :
        newestFirst.subList(Math.min(request.keep(), newestFirst.size()), newestFirst.size())) {
      if (!protectedVersions.contains(version)) {
        FileTrees.deleteRecursively(app.releaseDir(version));
        Files.deleteIfExists(app.marker(version));
        Files.deleteIfExists(app.configRecord(version));
        ConfigPlaces.forget(app, version);
        for (Path change : app.configChanges(version)) {
          FileTrees.deleteRecursively(change);
        }
        removed.add(version);
      }
    }
    removed.sort(Comparator.naturalOrder());
    supervisor.pruned(app.app(), retainedServices(app));
    return new PruneResult(removed);
  }

  /** Every service some release still on the host declares. */
  private static Set<String> retainedServices(AppLayout app) throws IOException {
    Set<String> services = new HashSet<>();
    for (String version : releases(app)) {
      ReleaseManifests.find(app, version).ifPresent(m -> services.addAll(m.services().keySet()));
    }
    return services;
  }

  private static Set<String> inUse(AppLayout app) throws IOException {
    Set<String> versions = new HashSet<>();
    versions.add(ReleaseLinks.version(app.current()));
    versions.add(ReleaseLinks.version(app.previous()));
    for (RunRecord record : RunFiles.list(app.runDir()).values()) {
      versions.add(record.version());
    }
    return versions;
  }

  /** Release dirs, most recently staged first (by their marker, written when staging ended). */
  private static List<String> releases(AppLayout app) throws IOException {
    List<String> versions = app.releaseVersions();
    Comparator<String> byStaged = Comparator.comparing(v -> stagedAt(app, v));
    versions.sort(byStaged.reversed().thenComparing(Comparator.reverseOrder()));
    return versions;
  }

  private static FileTime stagedAt(AppLayout app, String version) {
    try {
      Path marker = app.marker(version);
      return Files.getLastModifiedTime(Files.exists(marker) ? marker : app.releaseDir(version));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
