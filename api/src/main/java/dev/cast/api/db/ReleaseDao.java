package dev.cast.api.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Apps and their releases. */
public final class ReleaseDao {
  private final Jdbi jdbi;

  public ReleaseDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(ReleaseRow.class));
  }

  /** Inserts the release (and its app on first push). */
  public void insert(ReleaseRow row) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("INSERT OR IGNORE INTO apps (name, created_at) VALUES (?, ?)")
              .bind(0, row.app())
              .bind(1, row.createdAt())
              .execute();
          h.createUpdate(
                  "INSERT INTO releases (app, version, sha256, size, services, created_at,"
                      + " pushed_by) VALUES (:app, :version, :sha256, :size, :services,"
                      + " :createdAt, :pushedBy)")
              .bindMethods(row)
              .execute();
        });
  }

  public Optional<ReleaseRow> find(String app, String version) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM releases WHERE app = ? AND version = ?")
                .bind(0, app)
                .bind(1, version)
                .mapTo(ReleaseRow.class)
                .findOne());
  }

  /** Releases of an app, newest first. */
  public List<ReleaseRow> list(String app) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM releases WHERE app = ? ORDER BY created_at DESC, rowid DESC")
                .bind(0, app)
                .mapTo(ReleaseRow.class)
                .list());
  }

  /** A service of an app, as the registry names it: {@code <app>-<service>}. */
  public record AppService(String app, String service) {}

  /**
   * The services, in any release of an app other than {@code exceptApp} (null: of any app), that
   * the registry names {@code name} ({@code <app>-<service>}).
   */
  public List<AppService> servicesNamed(String name, String exceptApp) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT r.app AS app, s.value AS service FROM releases r,"
                        + " json_each(r.services) s WHERE r.app || '-' || s.value = :name"
                        + " AND r.app IS NOT :except ORDER BY r.app")
                .bind("name", name)
                .bind("except", exceptApp)
                .map((rs, ctx) -> new AppService(rs.getString("app"), rs.getString("service")))
                .list());
  }

  /**
   * The nodes of the services registered in the registry (not deployed by Cast) as {@code name}.
   */
  public List<String> externalNodesNamed(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT node FROM registry_services WHERE service = ? ORDER BY node")
                .bind(0, name)
                .mapTo(String.class)
                .list());
  }

  public List<String> apps() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT name FROM apps ORDER BY name").mapTo(String.class).list());
  }

  public boolean appExists(String app) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM apps WHERE name = ?")
                    .bind(0, app)
                    .mapTo(Integer.class)
                    .one()
                > 0);
  }
}
