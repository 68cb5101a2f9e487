package dev.cast.api.db;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The audit log: appended to, read newest first, pruned by age. */
public final class AuditDao {
  private final Jdbi jdbi;

  public AuditDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(AuditRow.class));
  }

  public void append(AuditRow row) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO audit (at, actor, action, path, app, params, status, source)"
                        + " VALUES (:at, :actor, :action, :path, :app, :params, :status, :source)")
                .bindMethods(row)
                .execute());
  }

  /** Entries newest first; null filters match everything. */
  public List<AuditRow> find(String app, String actor, Long since, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM audit WHERE (:app IS NULL OR app = :app)"
                        + " AND (:actor IS NULL OR actor = :actor)"
                        + " AND (:since IS NULL OR at >= :since) ORDER BY seq DESC LIMIT :limit")
                .bind("app", app)
                .bind("actor", actor)
                .bind("since", since)
                .bind("limit", limit)
                .mapTo(AuditRow.class)
                .list());
  }

  /** Deletes entries older than {@code before}; returns how many. */
  public int prune(long before) {
    return jdbi.withHandle(
        h -> h.createUpdate("DELETE FROM audit WHERE at < ?").bind(0, before).execute());
  }
}
