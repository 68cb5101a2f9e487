package dev.cast.api.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** What is current on each host, and where its services listen. */
public final class InstanceDao {
  private final Jdbi jdbi;

  public InstanceDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(InstanceRow.class));
    jdbi.registerRowMapper(ConstructorMapper.factory(HostAppRow.class));
  }

  /** Records a release as current on a host, with its services' endpoints. */
  public void activate(
      String app, String host, String version, String previous, List<InstanceRow> instances) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM instances WHERE app = ? AND host = ? AND version = ?")
              .bind(0, app)
              .bind(1, host)
              .bind(2, version)
              .execute();
          for (InstanceRow row : instances) {
            h.createUpdate(
                    "INSERT INTO instances (app, host, version, service, address, ports, health,"
                        + " updated_at) VALUES (:app, :host, :version, :service, :address, :ports,"
                        + " :health, :updatedAt)")
                .bindMethods(row)
                .execute();
          }
          setCurrent(h, app, host, version, previous, System.currentTimeMillis());
        });
  }

  /** Makes {@code version} current again (compensation); null means nothing is current. */
  public void restore(String app, String host, String version) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    // Not the failed version as previous: a rollback must never pick it. The
                    // host's report (sent as its revert returns) says what previous is now.
                    "UPDATE host_apps SET previous_version = CASE WHEN previous_version IS :version"
                        + " THEN NULL ELSE previous_version END, version = :version,"
                        + " updated_at = :now WHERE app = :app AND host = :host"
                        + " AND version IS NOT :version")
                .bind("version", version)
                .bind("now", System.currentTimeMillis())
                .bind("app", app)
                .bind("host", host)
                .execute());
  }

  /**
   * Makes the catalog say what a host says it has of an app: its current and previous release, the
   * releases on it and, when {@code instances} is not empty, where the current release's services
   * listen.
   *
   * @return the row as it was before, or empty when there was none
   */
  public Optional<HostAppRow> reconcile(
      String app,
      String host,
      String version,
      String previous,
      List<String> releases,
      List<InstanceRow> instances) {
    return jdbi.inTransaction(
        h -> {
          Optional<HostAppRow> before = find(h, app, host);
          // Where the current release's services listen is what the host says: a port the
          // supervisor moved (another process held it) shows here, not the one first recorded.
          for (InstanceRow row : version == null ? List.<InstanceRow>of() : instances) {
            h.createUpdate(
                    "INSERT INTO instances (app, host, version, service, address, ports, health,"
                        + " updated_at) VALUES (:app, :host, :version, :service, :address,"
                        + " :ports, :health, :updatedAt) ON CONFLICT (app, host, version, service)"
                        + " DO UPDATE SET address = excluded.address, ports = excluded.ports,"
                        + " updated_at = excluded.updated_at WHERE instances.ports IS NOT"
                        + " excluded.ports OR instances.address IS NOT excluded.address")
                .bindMethods(row)
                .execute();
          }
          h.createUpdate(
                  "INSERT INTO host_apps (app, host, version, previous_version, updated_at,"
                      + " releases) VALUES (:app, :host, :version, :previous, :now, :releases)"
                      + " ON CONFLICT (app, host) DO UPDATE SET version = :version,"
                      + " previous_version = :previous, releases = :releases,"
                      + " updated_at = CASE WHEN host_apps.version IS NOT :version OR"
                      + " host_apps.previous_version IS NOT :previous THEN :now"
                      + " ELSE host_apps.updated_at END"
                      // A report that changes nothing (most heartbeats) writes nothing.
                      + " WHERE host_apps.version IS NOT :version"
                      + " OR host_apps.previous_version IS NOT :previous"
                      + " OR host_apps.releases IS NOT :releases")
              .bind("app", app)
              .bind("host", host)
              .bind("version", version)
              .bind("previous", previous)
              .bindByType("releases", releases, JsonColumns.of(List.class))
              .bind("now", System.currentTimeMillis())
              .execute();
          return before;
        });
  }

  /** The apps the catalog places on a host. */
  public List<HostAppRow> onHost(String host) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM host_apps WHERE host = ? ORDER BY app")
                .bind(0, host)
                .mapTo(HostAppRow.class)
                .list());
  }

  private static Optional<HostAppRow> find(Handle h, String app, String host) {
    return h.createQuery("SELECT * FROM host_apps WHERE app = ? AND host = ?")
        .bind(0, app)
        .bind(1, host)
        .mapTo(HostAppRow.class)
        .findOne();
  }

  private static void setCurrent(
      Handle h, String app, String host, String version, String previous, long now) {
    h.createUpdate(
            "INSERT INTO host_apps (app, host, version, previous_version, updated_at)"
                + " VALUES (:app, :host, :version, :previous, :now) ON CONFLICT (app, host)"
                + " DO UPDATE SET previous_version = CASE WHEN :version = host_apps.version"
                + " THEN host_apps.previous_version ELSE :previous END, version = :version,"
                + " updated_at = :now")
        .bind("app", app)
        .bind("host", host)
        .bind("version", version)
        .bind("previous", previous)
        .bind("now", now)
        .execute();
  }

  public List<HostAppRow> current(String app) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM host_apps WHERE app = ? ORDER BY host")
                .bind(0, app)
                .mapTo(HostAppRow.class)
                .list());
  }

  /** The services of the current release on every host. */
  public List<InstanceRow> instances(String app) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT i.* FROM instances i JOIN host_apps c ON c.app = i.app AND c.host ="
                        + " i.host AND c.version = i.version WHERE i.app = ?"
                        + " ORDER BY i.host, i.service")
                .bind(0, app)
                .mapTo(InstanceRow.class)
                .list());
  }
}
