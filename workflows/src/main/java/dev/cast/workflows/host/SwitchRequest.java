package dev.cast.workflows.host;

/**
 * Switch a host to a staged release in one step: activate it, wait until its services are healthy
 * and, when asked, run its {@code post_activate} hook.
 *
 * @param healthyDeadlineMillis how long the services may take to pass their health checks
 * @param runPostActivate whether to run {@code post_activate} once they pass
 * @param rerenderConfig as in {@link ActivateRequest}
 */
public record SwitchRequest(
    String deploymentId,
    String app,
    String version,
    long healthyDeadlineMillis,
    boolean runPostActivate,
    boolean rerenderConfig) {

  public ActivateRequest activation() {
    return new ActivateRequest(deploymentId, app, version, rerenderConfig);
  }

  public HealthRequest health() {
    return new HealthRequest(app, version, healthyDeadlineMillis);
  }

  public HookRequest postActivate() {
    return new HookRequest(app, version, "post_activate");
  }
}
