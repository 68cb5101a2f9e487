package dev.cast.api.db;

import dev.cast.api.model.ServiceReport;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The latest report of every agent about its supervised services. */
public final class ServiceStatusDao {
  private final Jdbi jdbi;

  public ServiceStatusDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(ServiceStatusRow.class));
  }

  /** A stored report. */
  public record ServiceStatusRow(
      String host,
      String app,
      String service,
      String version,
      String state,
      Long pid,
      String startedAt,
      int restarts,
      String health,
      String healthOutput,
      String healthSince,
      boolean enabled,
      long reportedAt) {}

  /** Replaces everything known about a host's services with its latest full report. */
  public void replace(String host, List<ServiceReport> reports, long now) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM service_status WHERE host = ?").bind(0, host).execute();
          for (ServiceReport r : reports) {
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
}
