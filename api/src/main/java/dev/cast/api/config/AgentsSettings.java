package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * {@code agents:} — how host agents prove who they are. Every agent sends {@code token}; when it is
 * empty the server makes a random one at start and writes it to {@code <dataDir>/agent-token} for
 * agents on other hosts to use. A host not heard from for {@code downAfter} is shown as down.
 */
public class AgentsSettings {
  private String token = "";

  /** A host whose agent has not been heard from for this long is shown as down. */
  @NotNull private Duration downAfter = Duration.seconds(30);

  @JsonProperty
  public Duration getDownAfter() {
    return downAfter;
  }

  @JsonProperty
  public void setDownAfter(Duration downAfter) {
    this.downAfter = downAfter;
  }

  @JsonProperty
  public String getToken() {
    return token;
  }

  @JsonProperty
  public void setToken(String token) {
    this.token = token;
  }
}
