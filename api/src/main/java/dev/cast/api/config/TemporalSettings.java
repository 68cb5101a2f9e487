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

  @NotEmpty private String namespace = "default";

  /**
   * Sticky workflow execution. Off against the embedded server: it has no sticky schedule-to-start
   * timeout, so a restarted worker's workflows would hang on the dead worker's sticky queue. Empty
   * means: off when embedded, on otherwise.
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
    return stickyExecution != null ? stickyExecution : !embedded();
  }
}
