package dev.cast.workflows.host;

/**
 * Put the config a {@link ConfigRequest} rendered in place on a host (or, reverting, put back what
 * it replaced), and act on it as {@code action} says.
 *
 * @param action {@code rollout} or {@code restart}: restart the app's services and wait for their
 *     health checks; {@code signal:<NAME>}: send the signal to each service's process group; {@code
 *     none}: only write the files
 * @param healthyDeadlineMillis how long restarted services may take to pass their checks
 */
public record ConfigApply(
    String deploymentId, String app, String version, String action, long healthyDeadlineMillis) {

  public HealthRequest health() {
    return new HealthRequest(app, version, healthyDeadlineMillis);
  }
}
