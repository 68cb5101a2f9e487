package dev.cast.api.core;

import dev.cast.api.db.ConfigDao;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.InstanceRow;
import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.catalog.HostActivation;
import dev.cast.workflows.host.Endpoint;
import dev.cast.workflows.shared.DeploymentProgress;
import java.util.List;

/** The control activities: the workflows' writes to the catalog. */
public final class CatalogActivitiesImpl implements CatalogActivities {
  private final DeploymentDao deployments;
  private final InstanceDao instances;
  private final ConfigDao configs;
  private final Runnable changed;

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

  @Override
  public void recordDeployment(DeploymentProgress progress) {
    Long ended = progress.state().terminal() ? System.currentTimeMillis() : null;
    deployments.updateState(
        progress.deploymentId(),
        progress.state().name(),
        progress.cause(),
        progress.hosts(),
        ended,
        progress.batch(),
        progress.batches());
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
