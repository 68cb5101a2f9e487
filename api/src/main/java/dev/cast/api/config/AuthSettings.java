package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * {@code auth:} in config.yml. Every REST call needs a token; {@code enabled: false} lets anyone
 * who reaches the api do anything (only for measuring what the check costs), and Cast says so at
 * start. The audit log keeps {@code auditRetention} of mutating calls.
 */
public class AuthSettings {
  private boolean enabled = true;
  @NotNull private Duration auditRetention = Duration.days(90);

  @JsonProperty
  public boolean isEnabled() {
    return enabled;
  }

  @JsonProperty
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  @JsonProperty
  public Duration getAuditRetention() {
    return auditRetention;
  }

  @JsonProperty
  public void setAuditRetention(Duration auditRetention) {
    this.auditRetention = auditRetention;
  }
}
