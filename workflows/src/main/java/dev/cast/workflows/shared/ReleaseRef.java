package dev.cast.workflows.shared;

import dev.cast.workflows.host.StageRequest;

/**
 * A pushed release as the workflows see it.
 *
 * @param bundlePath where hosts fetch the bundle, relative to the api's base URL
 */
public record ReleaseRef(String app, String version, String sha256, long size, String bundlePath) {

  public StageRequest stageRequest() {
    return new StageRequest(app, version, sha256, size, bundlePath);
  }
}
