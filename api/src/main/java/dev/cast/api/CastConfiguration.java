package dev.cast.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cast.api.config.AgentsSettings;
import dev.cast.api.config.AuthSettings;
import dev.cast.api.config.BundleSettings;
import dev.cast.api.config.DatabaseSettings;
import dev.cast.api.config.DeploySettings;
import dev.cast.api.config.RegistrySettings;
import dev.cast.api.config.TemporalSettings;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** The api's config.yml. Unknown keys fail start, naming the key. */
public class CastConfiguration extends Configuration {
  @NotEmpty private String dataDir = "data";
  @Valid @NotNull private TemporalSettings temporal = new TemporalSettings();
  @Valid @NotNull private DatabaseSettings database = new DatabaseSettings();
  @Valid @NotNull private BundleSettings bundles = new BundleSettings();
  @Valid @NotNull private DeploySettings deploy = new DeploySettings();
  @Valid @NotNull private AgentsSettings agents = new AgentsSettings();
  @Valid @NotNull private AuthSettings auth = new AuthSettings();
  @Valid @NotNull private RegistrySettings registry = new RegistrySettings();

  @JsonProperty
  public RegistrySettings getRegistry() {
    return registry;
  }

  @JsonProperty
  public void setRegistry(RegistrySettings registry) {
    this.registry = registry;
  }

  @JsonProperty
  public AuthSettings getAuth() {
    return auth;
  }

  @JsonProperty
  public void setAuth(AuthSettings auth) {
    this.auth = auth;
  }

  @JsonProperty
  public AgentsSettings getAgents() {
    return agents;
  }

  @JsonProperty
  public void setAgents(AgentsSettings agents) {
    this.agents = agents;
  }

  @JsonProperty
  public String getDataDir() {
    return dataDir;
  }

  @JsonProperty
  public void setDataDir(String dataDir) {
    this.dataDir = dataDir;
  }

  @JsonProperty
  public TemporalSettings getTemporal() {
    return temporal;
  }

  @JsonProperty
  public void setTemporal(TemporalSettings temporal) {
    this.temporal = temporal;
  }

  @JsonProperty
  public DatabaseSettings getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DatabaseSettings database) {
    this.database = database;
  }

  @JsonProperty
  public BundleSettings getBundles() {
    return bundles;
  }

  @JsonProperty
  public void setBundles(BundleSettings bundles) {
    this.bundles = bundles;
  }

  @JsonProperty
  public DeploySettings getDeploy() {
    return deploy;
  }

  @JsonProperty
  public void setDeploy(DeploySettings deploy) {
    this.deploy = deploy;
  }
}
