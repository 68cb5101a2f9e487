package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.host.ReleaseLinks;
import dev.cast.activities.host.ReleaseManifests;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.bundle.Manifest;
import dev.cast.workflows.host.AppReleases;
import dev.cast.workflows.host.Endpoint;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what each app has on this host from its files: the {@code current} and {@code previous}
 * links, the releases unpacked, and the ports of the current release's services. Only reads: it
 * allocates nothing.
 */
public final class HostReleases {
  private final HostSettings settings;
  private final PortAllocator ports;
  // The manifest of each app's current release: releases are immutable, and the report goes out
  // with every heartbeat, so cast.yml is parsed once per switch rather than once per report.
  private final Map<String, Map.Entry<String, Manifest>> current = new ConcurrentHashMap<>();

  /**
   * @param ports the host's port allocator, only read here
   */
  public HostReleases(HostSettings settings, PortAllocator ports) {
    this.settings = settings;
    this.ports = ports;
  }

  /** Every app on the host, sorted by name; an app whose files cannot be read is left out. */
  public List<AppReleases> snapshot() {
    List<AppReleases> apps = new ArrayList<>();
    Path appsDir = settings.dataDir().resolve("apps");
    if (!Files.isDirectory(appsDir)) {
      return apps;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(appsDir, "[!.]*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir)) {
          read(new AppLayout(dir)).ifPresent(apps::add);
        }
      }
    } catch (IOException e) {
      return apps;
    }
    apps.sort(Comparator.comparing(AppReleases::app));
    return apps;
  }

  private Optional<AppReleases> read(AppLayout app) {
    try {
      String current = ReleaseLinks.version(app.current());
      String previous = ReleaseLinks.version(app.previous());
      List<Endpoint> endpoints = current == null ? List.of() : endpoints(app, current);
      return Optional.of(new AppReleases(app.app(), current, previous, versions(app), endpoints));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private List<Endpoint> endpoints(AppLayout app, String version) {
    List<Endpoint> endpoints = new ArrayList<>();
    Map.Entry<String, Manifest> cached = current.get(app.app());
    Optional<Manifest> manifest =
        cached != null && cached.getKey().equals(version)
            ? Optional.of(cached.getValue())
            : ReleaseManifests.find(app, version);
    if (manifest.isEmpty()) {
      return endpoints;
    }
    current.put(app.app(), Map.entry(version, manifest.get()));
    manifest
        .get()
        .services()
        .forEach(
            (service, spec) -> {
              Map<String, Integer> held = ports.ports(app.app(), service);
              for (String name : spec.ports()) {
                Integer port = held.get(name);
                if (port != null) {
                  endpoints.add(new Endpoint(service, name, port));
                }
              }
            });
    return endpoints;
  }

  private static List<String> versions(AppLayout app) throws IOException {
    List<String> versions = app.releaseVersions();
    versions.sort(null);
    return versions;
  }
}
