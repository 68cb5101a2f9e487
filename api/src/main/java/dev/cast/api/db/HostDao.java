package dev.cast.api.db;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Hosts whose agents registered. */
public final class HostDao {
  private final Jdbi jdbi;

  public HostDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(HostRow.class));
  }

  /** Registers a host or refreshes its address and last-seen time. */
  public void upsert(
      String name,
      String address,
      String agentVersion,
      String logsUrl,
      Map<String, String> labels,
      Map<String, Object> facts,
      long now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO hosts (name, address, agent_version, registered_at, last_seen_at,"
                        + " logs_url, labels, facts) VALUES (:name, :address, :agentVersion, :now,"
                        + " :now, :logsUrl, :labels, :facts) ON CONFLICT (name) DO UPDATE SET"
                        + " address = :address, agent_version = :agentVersion, last_seen_at = :now,"
                        + " logs_url = :logsUrl, labels = :labels, facts = :facts")
                .bind("name", name)
                .bind("address", address)
                .bind("agentVersion", agentVersion)
                .bind("now", now)
                .bind("logsUrl", logsUrl)
                .bindByType("labels", labels, JsonColumns.of(Map.class))
                .bindByType("facts", facts, JsonColumns.of(Map.class))
                .execute());
  }

  public List<HostRow> list() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT * FROM hosts ORDER BY name").mapTo(HostRow.class).list());
  }

  public Optional<HostRow> find(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM hosts WHERE name = ?")
                .bind(0, name)
                .mapTo(HostRow.class)
                .findOne());
  }

  /** Marks a host drained (no new deploys) or not; false when there is no such host. */
  public boolean setDrained(String name, boolean drained) {
    return jdbi.withHandle(
            h ->
                h.createUpdate("UPDATE hosts SET drained = ? WHERE name = ?")
                    .bind(0, drained)
                    .bind(1, name)
                    .execute())
        > 0;
  }

  /** Forgets a host and its service reports; false when there is no such host. */
  public boolean delete(String name) {
    return jdbi.inTransaction(
            h -> {
              h.createUpdate("DELETE FROM service_status WHERE host = ?").bind(0, name).execute();
              return h.createUpdate("DELETE FROM hosts WHERE name = ?").bind(0, name).execute();
            })
        > 0;
  }
}
