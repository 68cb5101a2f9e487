package dev.cast.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cast.api.CastConfiguration;
import dev.cast.worker.AgentConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** config.yml of {@code cast server}: the api's settings plus the embedded host agent's. */
public class ServerConfiguration extends CastConfiguration {
  @Valid @NotNull private EmbeddedAgent agent = new EmbeddedAgent();

  /**
   * {@code agent:} — a host agent inside the server process. Its {@code api} and {@code temporal}
   * are the server's own unless set.
   */
  public static class EmbeddedAgent extends AgentConfiguration {
    private boolean enabled = true;

    public EmbeddedAgent() {
      setApi(null);
      setTemporal(null);
    }

    @JsonProperty
    public boolean isEnabled() {
      return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  @JsonProperty
  public EmbeddedAgent getAgent() {
    return agent;
  }

  @JsonProperty
  public void setAgent(EmbeddedAgent agent) {
    this.agent = agent;
  }
}
