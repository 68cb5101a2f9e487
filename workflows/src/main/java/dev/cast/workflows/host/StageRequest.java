package dev.cast.workflows.host;

/**
 * @param bundlePath path of the bundle on the api, e.g. {@code
 *     /v1/apps/hello/releases/1.0.0/bundle}; the agent prefixes its configured api URL
 */
public record StageRequest(
    String app, String version, String sha256, long size, String bundlePath) {}
