package dev.cast.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * {@code torrent:} — how the agent fetches and shares bundles over BitTorrent. When BitTorrent is
 * off or its native library cannot load, bundles are fetched over HTTP.
 */
public class TorrentConfiguration {
  /** Fetch bundles over BitTorrent and seed them from the cache. */
  private boolean enabled = true;

  /**
   * libtorrent's listen interfaces, {@code address:port} (comma-separated); default: the agent's
   * {@code address} at a free port.
   */
  private String listen;

  /** Upload cap in bytes per second over all bundles; default: none. */
  private DataSize uploadRate;

  /** How long a bundle keeps seeding after it was fetched (or last used). */
  @NotNull private Duration seedTime = Duration.hours(1);

  /**
   * The bundle cache's size: past it, least recently used bundles are deleted, never one a release
   * on disk came from.
   */
  @NotNull private DataSize cacheSize = DataSize.gibibytes(4);

  /** How long a download may make no progress before the agent fetches over HTTP instead. */
  @NotNull private Duration stallTimeout = Duration.seconds(30);

  /**
   * How long a download takes pieces from peers alone before it also uses the api's web seed: the
   * web seed is added once no peer has delivered anything for this long. The api sends less when
   * hosts feed each other; 0 uses the web seed from the start.
   */
  @NotNull private Duration webSeedDelay = Duration.seconds(5);

  /** The listen interfaces to use on a host whose agent address is {@code address}. */
  public String listenFor(String address) {
    if (listen != null && !listen.isBlank()) {
      return listen;
    }
    return (address.contains(":") ? "[" + address + "]" : address) + ":0";
  }

  @JsonProperty
  public boolean isEnabled() {
    return enabled;
  }

  @JsonProperty
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  @JsonProperty
  public String getListen() {
    return listen;
  }

  @JsonProperty
  public void setListen(String listen) {
    this.listen = listen;
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
  public Duration getSeedTime() {
    return seedTime;
  }

  @JsonProperty
  public void setSeedTime(Duration seedTime) {
    this.seedTime = seedTime;
  }

  @JsonProperty
  public DataSize getCacheSize() {
    return cacheSize;
  }

  @JsonProperty
  public void setCacheSize(DataSize cacheSize) {
    this.cacheSize = cacheSize;
  }

  @JsonProperty
  public Duration getStallTimeout() {
    return stallTimeout;
  }

  @JsonProperty
  public void setStallTimeout(Duration stallTimeout) {
    this.stallTimeout = stallTimeout;
  }

  @JsonProperty
  public Duration getWebSeedDelay() {
    return webSeedDelay;
  }

  @JsonProperty
  public void setWebSeedDelay(Duration webSeedDelay) {
    this.webSeedDelay = webSeedDelay;
  }
}
