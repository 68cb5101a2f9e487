package dev.cast.api.db;

import dev.cast.workflows.host.RenderedConfig;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The config files deployments rendered on their hosts (secrets masked). */
public final class ConfigDao {
  private final Jdbi jdbi;

  public ConfigDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(HostConfigRow.class));
  }

  /**
   * Records what a host rendered for a deployment (the last record of a host wins) and raises the
   * deployment's {@code config_index} to the index it was rendered at.
   */
  public void record(String deploymentId, String host, RenderedConfig config) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO deployment_config (deployment_id, host, config_index, files,"
                      + " recorded_at) VALUES (:id, :host, :index, :files, :at)"
                      + " ON CONFLICT (deployment_id, host) DO UPDATE SET"
                      + " config_index = excluded.config_index, files = excluded.files,"
                      + " recorded_at = excluded.recorded_at")
              .bind("id", deploymentId)
              .bind("host", host)
              .bind("index", config.index())
              .bindByType("files", config.files(), JsonColumns.of(List.class))
              .bind("at", System.currentTimeMillis())
              .execute();
          h.createUpdate(
                  "UPDATE deployments SET config_index = MAX(COALESCE(config_index, 0), :index)"
                      + " WHERE id = :id")
              .bind("id", deploymentId)
              .bind("index", config.index())
              .execute();
        });
  }

  /** A deployment's hosts' config, by host name. */
  public List<HostConfigRow> list(String deploymentId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM deployment_config WHERE deployment_id = ? ORDER BY host")
                .bind(0, deploymentId)
                .mapTo(HostConfigRow.class)
                .list());
  }
}
