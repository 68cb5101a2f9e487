package dev.cast.api.db;

import dev.cast.workflows.host.ServiceStatus;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The latest report of every agent about its supervised services. */
public final class ServiceStatusDao {
  private final Jdbi jdbi;

  public ServiceStatusDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ServiceStatusRow.class, ROW);
  }

  /** A stored report: the status as the agent sent it, and when it arrived. */
  public record ServiceStatusRow(ServiceStatus status, long reportedAt) {}

  private static final RowMapper<ServiceStatusRow> ROW =
      (rs, ctx) ->
          new ServiceStatusRow(
              new ServiceStatus(
                  rs.getString("host"),
                  rs.getString("app"),
                  rs.getString("service"),
                  rs.getString("version"),
                  rs.getString("state"),
                  rs.getObject("pid") == null ? null : rs.getLong("pid"),
                  rs.getString("started_at"),
                  rs.getInt("restarts"),
                  rs.getString("health"),
                  rs.getString("health_output"),
                  rs.getString("health_since"),
                  rs.getBoolean("enabled")),
              rs.getLong("reported_at"));

  /** Replaces everything known about a host's services with its latest full report. */
  public void replace(String host, List<ServiceStatus> reports, long now) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM service_status WHERE host = ?").bind(0, host).execute();
          for (ServiceStatus r : reports) {
            h.createUpdate(
                    "INSERT INTO service_status (host, app, service, version, state, pid,"
                        + " started_at, restarts, health, health_output, health_since, enabled,"
                        + " reported_at) VALUES (:host, :app, :service, :version, :state, :pid,"
                        + " :startedAt, :restarts, :health, :healthOutput, :healthSince, :enabled,"
                        + " :now)")
                .bindMethods(r)
                .bind("host", host)
                .bind("now", now)
                .execute();
          }
        });
  }

  public List<ServiceStatusRow> forService(String app, String service) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM service_status WHERE app = ? AND service = ? ORDER BY host")
                .bind(0, app)
                .bind(1, service)
                .mapTo(ServiceStatusRow.class)
                .list());
  }

  public List<ServiceStatusRow> forApp(String app) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM service_status WHERE app = ? ORDER BY host, service")
                .bind(0, app)
                .mapTo(ServiceStatusRow.class)
                .list());
  }

  /** Every host's latest report of every service. */
  public List<ServiceStatusRow> all() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM service_status ORDER BY host, app, service")
                .mapTo(ServiceStatusRow.class)
                .list());
  }
}
