package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.NotNull;

/** {@code bundles:} — pushed release bundles. */
public class BundleSettings {
  /** Pushes larger than this are refused with 413. */
  @NotNull private DataSize maxSize = DataSize.megabytes(512);

  /**
   * What the api sends of bundles per second, over BitTorrent and over HTTP each (the api's share
   * of its uplink); 0 for no cap.
   */
  @NotNull private DataSize uploadRate = DataSize.bytes(0);

  @JsonProperty
  public DataSize getUploadRate() {
    return uploadRate;
  }

  @JsonProperty
  public void setUploadRate(DataSize uploadRate) {
    this.uploadRate = uploadRate;
  }

  @JsonProperty
  public DataSize getMaxSize() {
    return maxSize;
  }

  @JsonProperty
  public void setMaxSize(DataSize maxSize) {
    this.maxSize = maxSize;
  }
}
