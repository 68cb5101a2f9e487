package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code deploy:} — defaults for deployments that do not say otherwise. */
public class DeploySettings {
  @NotNull private Duration healthyDeadline = Duration.seconds(30);

  /** Releases kept per app on each host; the current and previous ones are always kept. */
  @Min(2)
  private int keepReleases = 5;

  /** A deploy fails when no host makes progress for this long (0s: never). */
  @NotNull private Duration progressDeadline = Duration.minutes(10);

  /** A host whose agent picks up none of a deploy's work for this long is unreachable. */
  @NotNull private Duration unreachableAfter = Duration.minutes(2);

  @JsonProperty
  public Duration getProgressDeadline() {
    return progressDeadline;
  }

  @JsonProperty
  public void setProgressDeadline(Duration progressDeadline) {
    this.progressDeadline = progressDeadline;
  }

  @JsonProperty
  public Duration getUnreachableAfter() {
    return unreachableAfter;
  }

  @JsonProperty
  public void setUnreachableAfter(Duration unreachableAfter) {
    this.unreachableAfter = unreachableAfter;
  }

  @JsonProperty
  public Duration getHealthyDeadline() {
    return healthyDeadline;
  }

  @JsonProperty
  public void setHealthyDeadline(Duration healthyDeadline) {
    this.healthyDeadline = healthyDeadline;
  }

  @JsonProperty
  public int getKeepReleases() {
    return keepReleases;
  }

  @JsonProperty
  public void setKeepReleases(int keepReleases) {
    this.keepReleases = keepReleases;
  }
}
