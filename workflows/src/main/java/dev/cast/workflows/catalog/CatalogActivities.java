package dev.cast.workflows.catalog;

import dev.cast.workflows.shared.DeploymentProgress;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The api's record of deployments and of what runs where. Runs on the control queue, in the api
 * process, which owns the catalog database. Profile: quickCall.
 */
@ActivityInterface
public interface CatalogActivities {

  /**
   * Stores a deployment's state and per-host states. Idempotent: the last write wins, keyed by
   * deployment id.
   */
  @ActivityMethod
  void recordDeployment(DeploymentProgress progress);

  /**
   * Records that {@code version} of the app is now current on the host, with its endpoints.
   * Idempotent, keyed by (app, host).
   */
  @ActivityMethod
  void recordActivation(HostActivation activation);

  /** {@link #recordActivation} for each host of a batch, in one activity. Idempotent. */
  @ActivityMethod
  void recordActivations(List<HostActivation> activations);

  /**
   * Compensation of {@link #recordActivation}: {@code version} is current on the host again (or
   * nothing when {@code version} is null). Idempotent.
   */
  @ActivityMethod
  void restoreCurrent(String app, String host, String version);
}
