package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

  /**
   * Pushes with more entries (files, directories, links) are refused with 400: empty files cost
   * nothing in the archive but an inode and a block each on every host.
   */
  @Min(1)
  private int maxEntries = 50_000;

  /**
   * Pushes checked at the same time at most; one more is answered 429 with Retry-After, so that
   * compression bombs cannot take every core of the api (one costs about 5 CPU-seconds to refuse).
   */
  @Min(1)
  @Max(64)
  private int maxConcurrentInspections = 2;

  @JsonProperty
  public int getMaxEntries() {
    return maxEntries;
  }

  @JsonProperty
  public void setMaxEntries(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  @JsonProperty
  public int getMaxConcurrentInspections() {
    return maxConcurrentInspections;
  }

  @JsonProperty
  public void setMaxConcurrentInspections(int maxConcurrentInspections) {
    this.maxConcurrentInspections = maxConcurrentInspections;
  }

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
