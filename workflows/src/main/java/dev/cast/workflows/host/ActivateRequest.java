package dev.cast.workflows.host;

/**
 * @param rerenderConfig render the release's config templates again even when this host rendered
 *     them before (by default such a release gets back the files it had)
 */
public record ActivateRequest(
    String deploymentId, String app, String version, boolean rerenderConfig) {}
