package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

/**
 * {@code temporal:} — where workflows run. {@code target: embedded} starts Temporal's in-process
 * Java test server on {@code embeddedPort}; {@code host:port} uses that Temporal cluster.
 */
public class TemporalSettings {
  public static final String EMBEDDED = "embedded";

  @NotEmpty private String target = EMBEDDED;

  @Min(0)
  @Max(65535)
  private int embeddedPort = 7233;

  /**
   * The address the embedded server listens on: loopback by default, since the embedded server has
   * no authentication of its own (whoever reaches it can run workflows and activities on hosts).
   */
  @NotEmpty private String bindHost = "127.0.0.1";

  @NotEmpty private String namespace = "default";

  /**
   * Sticky workflow execution: the worker keeps running workflows in memory and replays only new
   * events, instead of the whole history on every workflow task. On by default. Turn it off only
   * for a Temporal server without a sticky schedule-to-start timeout that outlives its workers,
   * such as Temporal's Java test server run on its own: there a restarted worker's workflows would
   * wait forever on the dead worker's sticky queue. The embedded server cannot outlive the only
   * worker that runs workflows (both live in the api's process), so it needs no such care.
   */
  private Boolean stickyExecution;

  @JsonProperty
  public String getTarget() {
    return target;
  }

  @JsonProperty
  public void setTarget(String target) {
    this.target = target;
  }

  @JsonProperty
  public int getEmbeddedPort() {
    return embeddedPort;
  }

  @JsonProperty
  public void setEmbeddedPort(int embeddedPort) {
    this.embeddedPort = embeddedPort;
  }

  @JsonProperty
  public String getBindHost() {
    return bindHost;
  }

  @JsonProperty
  public void setBindHost(String bindHost) {
    this.bindHost = bindHost;
  }

  @JsonProperty
  public String getNamespace() {
    return namespace;
  }

  @JsonProperty
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  @JsonProperty
  public Boolean getStickyExecution() {
    return stickyExecution;
  }

  @JsonProperty
  public void setStickyExecution(Boolean stickyExecution) {
    this.stickyExecution = stickyExecution;
  }

  public boolean embedded() {
    return EMBEDDED.equals(target);
  }

  public boolean sticky() {
    return stickyExecution == null || stickyExecution;
  }
}
