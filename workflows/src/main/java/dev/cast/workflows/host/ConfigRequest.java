package dev.cast.workflows.host;

/**
 * Re-render an app's config on a host: every template of the release it runs, at the registry's
 * current index.
 *
 * @param deploymentId the config rollout; what is rendered is kept under its id until applied
 * @param version the release the api believes the host runs; a host running another is left alone
 */
public record ConfigRequest(String deploymentId, String app, String version) {}
