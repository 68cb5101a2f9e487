package dev.cast.api.db;

import dev.cast.workflows.shared.HostProgress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Deployments and rollbacks, the record that outlives their workflows. */
public final class DeploymentDao {
  private final Jdbi jdbi;

  public DeploymentDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(DeploymentRow.class));
  }

  public void insert(DeploymentRow row) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO deployments (id, kind, app, version, state, cause, hosts,"
                        + " workflow_id, run_id, requested_by, reason, started_at, ended_at,"
                        + " service, hosts_before) VALUES (:id, :kind, :app, :version, :state,"
                        + " :cause, :hosts, :workflowId, :runId, :requestedBy, :reason, :startedAt,"
                        + " :endedAt, :service, :hostsBefore)")
                .bindMethods(row)
                .execute());
  }

  public void setRunId(String id, String runId) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE deployments SET run_id = ? WHERE id = ?")
                .bind(0, runId)
                .bind(1, id)
                .execute());
  }

  /** Stores the state; a terminal state also stamps {@code ended_at} (once). */
  public void updateState(
      String id, String state, String cause, List<HostProgress> hosts, Long endedAt) {
    updateState(id, state, cause, hosts, endedAt, null, null);
  }

  /** As {@link #updateState(String, String, String, List, Long)}, with the batch reached. */
  public void updateState(
      String id,
      String state,
      String cause,
      List<HostProgress> hosts,
      Long endedAt,
      Integer batch,
      Integer batches) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE deployments SET state = :state, cause = :cause, hosts = :hosts,"
                        + " ended_at = COALESCE(ended_at, :endedAt),"
                        + " batch = COALESCE(:batch, batch), batches = COALESCE(:batches, batches)"
                        + " WHERE id = :id")
                .bind("batch", batch)
                .bind("batches", batches)
                .bind("id", id)
                .bind("state", state)
                .bind("cause", cause)
                .bindByType("hosts", hosts, JsonColumns.of(List.class))
                .bind("endedAt", endedAt)
                .execute());
  }

  /**
   * Keeps the per-host progress last seen live, while the deployment runs: should its workflow
   * vanish, the catalog still knows how far each host got. A final state is never overwritten.
   */
  public void updateLiveHosts(String id, List<HostProgress> hosts) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE deployments SET hosts = :hosts WHERE id = :id AND hosts IS NOT :hosts"
                        + " AND state IN ('PENDING', 'RUNNING')")
                .bind("id", id)
                .bindByType("hosts", hosts, JsonColumns.of(List.class))
                .execute());
  }

  /** Keeps what a deploy was started with, for a resume should its workflow be lost. */
  public void setPlan(String id, DeployPlan plan) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE deployments SET plan = :plan WHERE id = :id")
                .bind("id", id)
                .bindByType("plan", plan, JsonColumns.of(DeployPlan.class))
                .execute());
  }

  /**
   * Links a deployment to the INTERRUPTED one it resumes or reverts, with the versions its hosts
   * ran before that one started (they are what "before" means for a resumed deploy).
   */
  public void setFollows(String id, String follows, Map<String, String> hostsBefore) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE deployments SET follows = :follows,"
                        + " hosts_before = COALESCE(:before, hosts_before) WHERE id = :id")
                .bind("id", id)
                .bind("follows", follows)
                .bindByType("before", hostsBefore, JsonColumns.of(Map.class))
                .execute());
  }

  /**
   * Ends an INTERRUPTED deployment: records who ended it ({@code endedBy}, another deployment's id,
   * or its own when nothing had to be done) and how. Only once: false when it is not INTERRUPTED or
   * was ended already.
   */
  public boolean endInterrupted(String id, String endedBy, String cause) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE deployments SET ended_by = :endedBy, cause = :cause WHERE id = :id"
                            + " AND state = 'INTERRUPTED' AND ended_by IS NULL")
                    .bind("id", id)
                    .bind("endedBy", endedBy)
                    .bind("cause", cause)
                    .execute())
        == 1;
  }

  /** Undoes {@link #endInterrupted} when the deployment that was to end it could not start. */
  public void reopenInterrupted(String id, String endedBy, String cause) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE deployments SET ended_by = NULL, cause = :cause WHERE id = :id"
                        + " AND ended_by = :endedBy")
                .bind("id", id)
                .bind("endedBy", endedBy)
                .bind("cause", cause)
                .execute());
  }

  public void delete(String id) {
    jdbi.useHandle(
        h -> {
          h.createUpdate("DELETE FROM deployment_config WHERE deployment_id = ?")
              .bind(0, id)
              .execute();
          h.createUpdate("DELETE FROM deployments WHERE id = ?").bind(0, id).execute();
        });
  }

  public Optional<DeploymentRow> find(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM deployments WHERE id = ?")
                .bind(0, id)
                .mapTo(DeploymentRow.class)
                .findOne());
  }

  /** An app's deployments and rollbacks, newest first. */
  public List<DeploymentRow> listByApp(String app) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM deployments WHERE app = ? ORDER BY started_at DESC, rowid DESC")
                .bind(0, app)
                .mapTo(DeploymentRow.class)
                .list());
  }

  /**
   * Deployments of every app, newest first, at most {@code limit}: of {@code app} only and in
   * {@code state} only when they are not null.
   */
  public List<DeploymentRow> list(String app, String state, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM deployments WHERE (:app IS NULL OR app = :app)"
                        + " AND (:state IS NULL OR state = :state)"
                        + " ORDER BY started_at DESC, rowid DESC LIMIT :limit")
                .bind("app", app)
                .bind("state", state)
                .bind("limit", limit)
                .mapTo(DeploymentRow.class)
                .list());
  }

  /** An app's newest deployment, rollback or operation. */
  public Optional<DeploymentRow> latestByApp(String app) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM deployments WHERE app = ? ORDER BY started_at DESC, rowid DESC"
                        + " LIMIT 1")
                .bind(0, app)
                .mapTo(DeploymentRow.class)
                .findOne());
  }

  /** Deployments whose state is not final. */
  public List<DeploymentRow> listActive() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM deployments WHERE state IN ('PENDING', 'RUNNING')")
                .mapTo(DeploymentRow.class)
                .list());
  }
}
