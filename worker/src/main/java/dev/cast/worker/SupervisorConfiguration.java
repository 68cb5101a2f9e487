package dev.cast.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code supervisor:} — how the agent restarts crashed services and keeps their logs. A crashed
 * service is restarted after {@code backoffInitial}, doubling up to {@code backoffMax}; the delay
 * resets once it stays up {@code backoffReset}. {@code crashLoopRestarts} restarts within {@code
 * crashLoopWindow} mark it FAILED until someone starts it again.
 */
public class SupervisorConfiguration {
  @NotNull private Duration backoffInitial = Duration.seconds(1);
  @NotNull private Duration backoffMax = Duration.seconds(60);
  @NotNull private Duration backoffReset = Duration.seconds(60);

  @Min(1)
  private int crashLoopRestarts = 5;

  @NotNull private Duration crashLoopWindow = Duration.seconds(60);
  @NotNull private DataSize logMaxSize = DataSize.mebibytes(10);

  @Min(1)
  private int logKeep = 5;

  @JsonProperty
  public Duration getBackoffInitial() {
    return backoffInitial;
  }

  @JsonProperty
  public void setBackoffInitial(Duration backoffInitial) {
    this.backoffInitial = backoffInitial;
  }

  @JsonProperty
  public Duration getBackoffMax() {
    return backoffMax;
  }

  @JsonProperty
  public void setBackoffMax(Duration backoffMax) {
    this.backoffMax = backoffMax;
  }

  @JsonProperty
  public Duration getBackoffReset() {
    return backoffReset;
  }

  @JsonProperty
  public void setBackoffReset(Duration backoffReset) {
    this.backoffReset = backoffReset;
  }

  @JsonProperty
  public int getCrashLoopRestarts() {
    return crashLoopRestarts;
  }

  @JsonProperty
  public void setCrashLoopRestarts(int crashLoopRestarts) {
    this.crashLoopRestarts = crashLoopRestarts;
  }

  @JsonProperty
  public Duration getCrashLoopWindow() {
    return crashLoopWindow;
  }

  @JsonProperty
  public void setCrashLoopWindow(Duration crashLoopWindow) {
    this.crashLoopWindow = crashLoopWindow;
  }

  @JsonProperty
  public DataSize getLogMaxSize() {
    return logMaxSize;
  }

  @JsonProperty
  public void setLogMaxSize(DataSize logMaxSize) {
    this.logMaxSize = logMaxSize;
  }

  @JsonProperty
  public int getLogKeep() {
    return logKeep;
  }

  @JsonProperty
  public void setLogKeep(int logKeep) {
    this.logKeep = logKeep;
  }
}
