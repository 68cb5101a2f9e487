package dev.cast.activities;

import dev.cast.activities.bundle.BundleCache;
import dev.cast.activities.bundle.BundleFetcher;
import dev.cast.activities.host.AppLocks;
import dev.cast.activities.host.HostSettings;
import dev.cast.activities.ports.HostDatabase;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.release.HostReleases;
import dev.cast.activities.release.ReleaseActivitiesImpl;
import dev.cast.activities.supervisor.ServiceActivitiesImpl;
import dev.cast.activities.supervisor.Supervisor;
import dev.cast.activities.supervisor.SupervisorSettings;
import java.io.IOException;

/**
 * Everything a host agent runs on its machine: the agent's database, the supervisor (started, so
 * services left running by an earlier agent are adopted) and the activities on top of it. {@link
 * #close()} stops supervising and leaves the services running.
 */
public final class HostRuntime implements AutoCloseable {
  private final HostDatabase hostDb;
  private final Supervisor supervisor;
  private final ReleaseActivitiesImpl releaseActivities;
  private final ServiceActivitiesImpl serviceActivities;
  private final HostReleases releases;

  private HostRuntime(
      HostDatabase hostDb,
      Supervisor supervisor,
      ReleaseActivitiesImpl releaseActivities,
      ServiceActivitiesImpl serviceActivities,
      HostReleases releases) {
    this.hostDb = hostDb;
    this.supervisor = supervisor;
    this.releaseActivities = releaseActivities;
    this.serviceActivities = serviceActivities;
    this.releases = releases;
  }

  /** Opens the runtime with an unlimited bundle cache that seeds nothing. */
  public static HostRuntime open(
      HostSettings settings, SupervisorSettings supervisorSettings, BundleFetcher fetcher)
      throws IOException {
    return open(settings, supervisorSettings, new BundleCache(settings.layout(), fetcher));
  }

  /** Opens (and migrates) {@code <dataDir>/agent.db}, builds everything and starts supervising. */
  public static HostRuntime open(
      HostSettings settings, SupervisorSettings supervisorSettings, BundleCache bundles)
      throws IOException {
    HostDatabase hostDb = HostDatabase.open(settings.layout().databaseFile());
    // One allocator for the whole host: the supervisor moves ports, activation allocates them and
    // the release report reads them, all from the same table.
    PortAllocator ports = new PortAllocator(hostDb.jdbi(), settings.portFrom(), settings.portTo());
    Supervisor supervisor = new Supervisor(settings, supervisorSettings, hostDb.jdbi(), ports);
    AppLocks locks = new AppLocks();
    HostRuntime runtime =
        new HostRuntime(
            hostDb,
            supervisor,
            new ReleaseActivitiesImpl(settings, bundles, ports, supervisor, locks),
            new ServiceActivitiesImpl(settings, supervisor, locks),
            new HostReleases(settings, ports));
    try {
      supervisor.start();
    } catch (IOException | RuntimeException e) {
      runtime.close();
      throw e;
    }
    return runtime;
  }

  public ReleaseActivitiesImpl releaseActivities() {
    return releaseActivities;
  }

  public ServiceActivitiesImpl serviceActivities() {
    return serviceActivities;
  }

  /** What each app has on this host, read from its files: what the agent reports to the api. */
  public HostReleases releases() {
    return releases;
  }

  public Supervisor supervisor() {
    return supervisor;
  }

  /** Stops supervising; the services keep running for the next agent to adopt. */
  @Override
  public void close() {
    supervisor.close();
    hostDb.close();
  }
}
