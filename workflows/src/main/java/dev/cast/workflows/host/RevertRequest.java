package dev.cast.workflows.host;

/**
 * @param previousVersion the version to restore, or {@code null} to leave the app stopped
 */
public record RevertRequest(
    String deploymentId, String app, String failedVersion, String previousVersion) {}
