package dev.cast.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code database:} — the api's SQLite catalog. A relative path is under {@code dataDir}. */
public class DatabaseSettings {
  private String path = "cast.db";

  @JsonProperty
  public String getPath() {
    return path;
  }

  @JsonProperty
  public void setPath(String path) {
    this.path = path;
  }
}
