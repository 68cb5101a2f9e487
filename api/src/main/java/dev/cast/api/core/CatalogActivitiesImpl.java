package dev.cast.api.core;

import dev.cast.api.db.ConfigDao;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.InstanceRow;
import dev.cast.api.metrics.CastMetrics;
import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.catalog.HostActivation;
import dev.cast.workflows.host.Endpoint;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import java.util.List;
import java.util.Optional;

/** The control activities: the workflows' writes to the catalog. */
public final class CatalogActivitiesImpl implements CatalogActivities {
  private final DeploymentDao deployments;
  private final InstanceDao instances;
  private final ConfigDao configs;
  private final Runnable changed;
  private volatile CastMetrics metrics;

  /**
   * @param changed told after what is current on a host changed (the registry's catalog reads it)
   */
  public CatalogActivitiesImpl(
      DeploymentDao deployments, InstanceDao instances, ConfigDao configs, Runnable changed) {
    this.deployments = deployments;
    this.instances = instances;
    this.configs = configs;
    this.changed = changed;
  }

  /** Counts each deployment that ends in {@code metrics}. */
  public void measuredBy(CastMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void recordDeployment(DeploymentProgress progress) {
    Long ended = progress.state().terminal() ? System.currentTimeMillis() : null;
    // A retried record of the end counts once: only the first turns the row terminal.
    Optional<DeploymentRow> before =
        ended == null || metrics == null
            ? Optional.empty()
            : deployments
                .find(progress.deploymentId())
                .filter(r -> !DeploymentState.valueOf(r.state()).terminal());
    deployments.updateState(
        progress.deploymentId(),
        progress.state().name(),
        progress.cause(),
        progress.hosts(),
        ended,
        progress.batch(),
        progress.batches());
    before.ifPresent(
        row ->
            metrics.finished(
                row.kind(),
                row.app(),
                progress.state().name(),
                Math.max(0, ended - row.startedAt()) / 1000.0));
  }

  @Override
  public void recordActivation(HostActivation a) {
    List<InstanceRow> rows =
        InstanceRow.perService(
            a.app(),
            a.host(),
            a.version(),
            a.address(),
            "passing",
            a.endpoints(),
            Endpoint::service,
            Endpoint::portName,
            Endpoint::port);
    instances.activate(a.app(), a.host(), a.version(), a.previousVersion(), rows);
    if (a.config() != null) {
      configs.record(a.deploymentId(), a.host(), a.config());
    }
    changed.run();
  }

  @Override
  public void recordActivations(List<HostActivation> activations) {
    activations.forEach(this::recordActivation);
  }

  @Override
  public void restoreCurrent(String app, String host, String version) {
    instances.restore(app, host, version);
    changed.run();
  }
}
