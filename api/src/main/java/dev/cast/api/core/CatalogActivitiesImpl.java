package dev.cast.api.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.db.DeploymentDao;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.InstanceRow;
import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.catalog.HostActivation;
import dev.cast.workflows.host.Endpoint;
import dev.cast.workflows.shared.DeploymentProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The control activities: the workflows' writes to the catalog. */
public final class CatalogActivitiesImpl implements CatalogActivities {
  private final DeploymentDao deployments;
  private final InstanceDao instances;
  private final ObjectMapper json;

  public CatalogActivitiesImpl(
      DeploymentDao deployments, InstanceDao instances, ObjectMapper json) {
    this.deployments = deployments;
    this.instances = instances;
    this.json = json;
  }

  @Override
  public void recordDeployment(DeploymentProgress progress) {
    Long ended = progress.state().terminal() ? System.currentTimeMillis() : null;
    deployments.updateState(
        progress.deploymentId(),
        progress.state().name(),
        progress.cause(),
        write(progress.hosts()),
        ended,
        progress.batch(),
        progress.batches());
  }

  @Override
  public void recordActivation(HostActivation a) {
    Map<String, Map<String, Integer>> byService = new LinkedHashMap<>();
    for (Endpoint e : a.endpoints()) {
      byService
          .computeIfAbsent(e.service(), s -> new LinkedHashMap<>())
          .put(e.portName(), e.port());
    }
    long now = System.currentTimeMillis();
    List<InstanceRow> rows = new ArrayList<>();
    byService.forEach(
        (service, ports) ->
            rows.add(
                new InstanceRow(
                    a.app(),
                    a.host(),
                    a.version(),
                    service,
                    a.address(),
                    write(ports),
                    "passing",
                    now)));
    instances.activate(a.app(), a.host(), a.version(), a.previousVersion(), rows);
  }

  @Override
  public void recordActivations(List<HostActivation> activations) {
    activations.forEach(this::recordActivation);
  }

  @Override
  public void restoreCurrent(String app, String host, String version) {
    instances.restore(app, host, version);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
