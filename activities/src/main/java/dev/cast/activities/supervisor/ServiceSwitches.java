package dev.cast.activities.supervisor;

import org.jdbi.v3.core.Jdbi;

/**
 * What the operator wants of each service, in the agent's database: enabled or disabled, and
 * whether it is wanted running. A service without a row is enabled and wanted running.
 */
final class ServiceSwitches {
  /** The operator's wishes for one service. */
  record Wishes(boolean enabled, boolean wantedRunning) {}

  private final Jdbi jdbi;

  ServiceSwitches(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  Wishes get(String app, String service) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT enabled, wanted FROM services WHERE app = ? AND service = ?")
                .bind(0, app)
                .bind(1, service)
                .map((rs, ctx) -> new Wishes(rs.getInt(1) != 0, "running".equals(rs.getString(2))))
                .findOne()
                .orElse(new Wishes(true, true)));
  }

  void set(String app, String service, Wishes wishes) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO services (app, service, enabled, wanted) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (app, service)"
                        + " DO UPDATE SET enabled = excluded.enabled, wanted = excluded.wanted")
                .bind(0, app)
                .bind(1, service)
                .bind(2, wishes.enabled() ? 1 : 0)
                .bind(3, wishes.wantedRunning() ? "running" : "stopped")
                .execute());
  }

  /** Forgets a service that no retained release has any more. */
  void forget(String app, String service) {
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM services WHERE app = ? AND service = ?")
                .bind(0, app)
                .bind(1, service)
                .execute());
  }
}
