package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.NotNull;

/** {@code bundles:} — pushed release bundles. */
public class BundleSettings {
  /** Pushes larger than this are refused with 413. */
  @NotNull private DataSize maxSize = DataSize.megabytes(512);

  @JsonProperty
  public DataSize getMaxSize() {
    return maxSize;
  }

  @JsonProperty
  public void setMaxSize(DataSize maxSize) {
    this.maxSize = maxSize;
  }
}
