package dev.cast.api.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.workflows.host.ConfigReads;
import dev.cast.workflows.host.RenderedConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The config files deployments rendered on their hosts (secrets masked). */
public final class ConfigDao {
  private static final ObjectMapper JSON = new ObjectMapper();
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
                      + " recorded_at, reads) VALUES (:id, :host, :index, :files, :at, :reads)"
                      + " ON CONFLICT (deployment_id, host) DO UPDATE SET"
                      + " config_index = excluded.config_index, files = excluded.files,"
                      + " recorded_at = excluded.recorded_at, reads = excluded.reads")
              .bind("id", deploymentId)
              .bind("host", host)
              .bind("index", config.index())
              .bindByType("files", config.files(), JsonColumns.of(List.class))
              .bind("at", System.currentTimeMillis())
              .bind("reads", config.reads() == null ? null : write(config.reads()))
              .execute();
          h.createUpdate(
                  "UPDATE deployments SET config_index = MAX(COALESCE(config_index, 0), :index)"
                      + " WHERE id = :id")
              .bind("id", deploymentId)
              .bind("index", config.index())
              .execute();
        });
  }

  /**
   * What a host's last rendering of an app's config read from the registry, and the index it was
   * rendered at.
   */
  public record LastRendering(ConfigReads reads, long index) {}

  /**
   * Each host's last rendering of the app's config that recorded its reads, by host: what a watch
   * of the app follows.
   */
  public Map<String, LastRendering> readsOf(String app) {
    Map<String, LastRendering> byHost = new LinkedHashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT c.host, c.reads, c.config_index FROM deployment_config c"
                        + " JOIN deployments d ON d.id = c.deployment_id"
                        + " WHERE d.app = ? AND c.reads IS NOT NULL"
                        + " ORDER BY c.recorded_at DESC")
                .bind(0, app)
                .map(
                    (rs, ctx) ->
                        Map.entry(
                            rs.getString("host"),
                            new LastRendering(
                                read(rs.getString("reads")), rs.getLong("config_index"))))
                .forEach(row -> byHost.putIfAbsent(row.getKey(), row.getValue())));
    return byHost;
  }

  private static String write(ConfigReads reads) {
    try {
      return JSON.writeValueAsString(reads);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ConfigReads read(String text) {
    try {
      return JSON.readValue(text, ConfigReads.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable reads column: " + e.getMessage(), e);
    }
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
