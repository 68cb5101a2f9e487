package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * {@code registry:} — the Consul-compatible registry. An instance whose host went down is shown
 * critical after {@code agents.downAfter}, and leaves the catalog {@code catalogRemoveAfter} later
 * (Consul's {@code deregister_critical_service_after}); it returns when its host does.
 */
public class RegistrySettings {
  /** How long an instance of a down host stays in the catalog, shown critical. */
  @NotNull private Duration catalogRemoveAfter = Duration.minutes(2);

  /** Key/value store values larger than this are refused. */
  @NotNull private DataSize maxValueSize = DataSize.kibibytes(512);

  @JsonProperty
  public Duration getCatalogRemoveAfter() {
    return catalogRemoveAfter;
  }

  @JsonProperty
  public void setCatalogRemoveAfter(Duration catalogRemoveAfter) {
    this.catalogRemoveAfter = catalogRemoveAfter;
  }

  @JsonProperty
  public DataSize getMaxValueSize() {
    return maxValueSize;
  }

  @JsonProperty
  public void setMaxValueSize(DataSize maxValueSize) {
    this.maxValueSize = maxValueSize;
  }
}
