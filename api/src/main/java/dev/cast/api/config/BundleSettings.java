package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.NotNull;

/** {@code bundles:} — pushed release bundles. */
public class BundleSettings {
  /** Pushes larger than this are refused with 413. */
  @NotNull private DataSize maxSize = DataSize.megabytes(512);

  /** Upload cap of the api's BitTorrent seeder, per second; 0 for none. */
  @NotNull private DataSize seedUploadRate = DataSize.bytes(0);

  @JsonProperty
  public DataSize getSeedUploadRate() {
    return seedUploadRate;
  }

  @JsonProperty
  public void setSeedUploadRate(DataSize seedUploadRate) {
    this.seedUploadRate = seedUploadRate;
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
