package dev.cast.workflows.host;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Control of one service of the current release on a host, through the host's supervisor. Runs on
 * the host's task queue ({@code host-<name>}).
 */
@ActivityInterface
public interface ServiceActivities {

  /**
   * Applies {@code start}, {@code stop}, {@code restart}, {@code enable} or {@code disable} to a
   * service and returns its state after. Idempotent: starting a running service or stopping a
   * stopped one changes nothing. {@code stop} and {@code disable} take the whole process group down
   * (signal, grace, KILL); {@code enable} starts the service; {@code restart} stops then starts; a
   * service marked FAILED by crash-loop detection starts again on {@code start} or {@code restart}.
   * Profile: serviceLifecycle.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_NOT_FOUND (no such app or service on the
   *     host), SERVICE_DISABLED (start or restart of a disabled service)
   */
  @ActivityMethod
  ServiceStatus controlService(ServiceCommand command);

  /**
   * Waits until the service's health check passes (a service without one: until its process runs).
   * Profile: serviceLifecycle with the deadline added.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_UNHEALTHY, SERVICE_EXITED,
   *     SERVICE_NOT_FOUND
   */
  @ActivityMethod
  ServiceStatus awaitServiceHealthy(ServiceHealthRequest request);
}
