package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code agents:} — how host agents prove who they are. Every agent sends {@code token}; when it is
 * empty the server makes a random one at start and writes it to {@code <dataDir>/agent-token} for
 * agents on other hosts to use.
 */
public class AgentsSettings {
  private String token = "";

  @JsonProperty
  public String getToken() {
    return token;
  }

  @JsonProperty
  public void setToken(String token) {
    this.token = token;
  }
}
