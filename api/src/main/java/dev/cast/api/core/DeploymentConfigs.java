package dev.cast.api.core;

import dev.cast.api.db.ConfigDao;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.HostConfigRow;
import dev.cast.api.model.ConfigView;
import java.time.Instant;
import java.util.List;

/** What a deployment's hosts rendered from its release's config templates. */
public final class DeploymentConfigs {
  private final DeploymentStatus status;
  private final ConfigDao configs;

  public DeploymentConfigs(DeploymentStatus status, ConfigDao configs) {
    this.status = status;
    this.configs = configs;
  }

  /** The deployment's rendered files per host, secrets masked (404 DEPLOYMENT_NOT_FOUND). */
  public ConfigView view(String id) {
    DeploymentRow row = status.find(id);
    List<ConfigView.HostConfig> hosts =
        configs.list(id).stream().map(DeploymentConfigs::host).toList();
    return new ConfigView(row.id(), row.configIndex(), hosts);
  }

  private static ConfigView.HostConfig host(HostConfigRow row) {
    return new ConfigView.HostConfig(
        row.host(),
        row.configIndex(),
        Instant.ofEpochMilli(row.recordedAt()).toString(),
        row.files().stream()
            .map(
                f ->
                    new ConfigView.File(
                        f.src(),
                        f.dest(),
                        f.mode(),
                        f.onChange(),
                        f.content(),
                        f.secrets(),
                        f.truncated()))
            .toList());
  }
}
