package dev.cast.api.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Which apps have their config rolled out by itself when what it reads changes. */
public final class WatchDao {
  private final Jdbi jdbi;

  /**
   * An app's watch.
   *
   * @param waitMinMs quiet time after the last change before the rollout starts
   * @param waitMaxMs the longest the rollout waits after the first change
   */
  public record WatchRow(
      String app,
      boolean enabled,
      long waitMinMs,
      long waitMaxMs,
      String updatedBy,
      long updatedAt) {}

  public WatchDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(WatchRow.class));
  }

  public void put(WatchRow row) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT OR REPLACE INTO config_watch (app, enabled, wait_min_ms, wait_max_ms,"
                        + " updated_by, updated_at) VALUES (:app, :enabled, :waitMinMs,"
                        + " :waitMaxMs, :updatedBy, :updatedAt)")
                .bindMethods(row)
                .execute());
  }

  public Optional<WatchRow> find(String app) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM config_watch WHERE app = ?")
                .bind(0, app)
                .mapTo(WatchRow.class)
                .findOne());
  }

  public List<WatchRow> enabled() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM config_watch WHERE enabled = 1 ORDER BY app")
                .mapTo(WatchRow.class)
                .list());
  }
}
