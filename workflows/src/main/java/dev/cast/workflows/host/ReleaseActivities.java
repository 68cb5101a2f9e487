package dev.cast.workflows.host;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What a host agent does to an app's releases. Runs on the host's own task queue ({@code
 * host-<name>}). Every method is idempotent: a retry after a crash finds the work done and returns
 * the same answer.
 */
@ActivityInterface
public interface ReleaseActivities {

  /**
   * Fetches the bundle (unless {@code bundles/<sha256>.tar.gz} is already cached), checks its
   * sha256 and unpacks it to {@code releases/<version>/}. Idempotency key: (app, version, sha256).
   * Heartbeats the bytes fetched. Checks free disk before the fetch and before the unpack, keeping
   * the agent's reserve. Partial files go on a permanent failure and on cancellation; a transient
   * failure keeps a BitTorrent download's partial file for the retry to resume. Profile:
   * bundleFetch.
   *
   * @throws io.temporal.failure.ApplicationFailure BUNDLE_CHECKSUM_MISMATCH, INVALID_BUNDLE,
   *     RELEASE_NOT_FOUND, INSUFFICIENT_DISK (too little free space, or ENOSPC while staging)
   */
  @ActivityMethod
  StagedRelease stageRelease(StageRequest request);

  /**
   * Activates a staged release: links {@code shared/} paths, runs {@code pre_activate} (the old
   * release still serving), stops the old release's services (signal, grace, KILL of the process
   * group), swaps {@code current} atomically, allocates ports and starts the new services.
   * Idempotency key: (app, version): when {@code current} already points at the version and its
   * services run, it returns the recorded activation. Profile: serviceLifecycle.
   *
   * @throws io.temporal.failure.ApplicationFailure HOOK_FAILED, SERVICE_START_FAILED, PORT_IN_USE,
   *     RELEASE_NOT_FOUND
   */
  @ActivityMethod
  Activation activateRelease(ActivateRequest request);

  /**
   * Polls every service's health check until all pass or the deadline passes, failing fast when a
   * service process exits. Heartbeats the services still waiting. Profile: serviceLifecycle.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_UNHEALTHY, SERVICE_EXITED
   */
  @ActivityMethod
  HealthReport awaitHealthy(HealthRequest request);

  /**
   * Runs a hook of the current release ({@code post_activate}). Profile: serviceLifecycle.
   *
   * @throws io.temporal.failure.ApplicationFailure HOOK_FAILED
   */
  @ActivityMethod
  void runHook(HookRequest request);

  /**
   * {@link #activateRelease}, then {@link #awaitHealthy} and, when asked, {@link #runHook} of
   * {@code post_activate}, as one activity: a deploy's switch of a host costs one round trip
   * through Temporal instead of three. Idempotent as each of them is. Profile: serviceLifecycle
   * with the health deadline.
   *
   * @throws io.temporal.failure.ApplicationFailure those of the three steps
   */
  @ActivityMethod
  Activation switchRelease(SwitchRequest request);

  /**
   * Compensation: puts the previous release back. Stops the services of {@code failedVersion} if
   * they run, swaps {@code current} back to {@code previousVersion} and starts its services (or,
   * with no previous version, leaves the app stopped with no {@code current}). Copes with the
   * activation never having happened. Keeps the failed release on disk for inspection. Profile:
   * serviceLifecycle.
   */
  @ActivityMethod
  void revertRelease(RevertRequest request);

  /**
   * Deletes old releases beyond {@code keep}, never the current or the previous one. Profile:
   * quickCall.
   */
  @ActivityMethod
  PruneResult pruneReleases(PruneRequest request);

  /**
   * Renders every template of the release the app runs at the registry's current index and compares
   * the result with the files the host has. Changed files are kept aside under the deployment's id,
   * not written. Idempotent: a retry renders again. Profile: serviceLifecycle.
   *
   * @throws io.temporal.failure.ApplicationFailure CONFIG_TEMPLATE_FAILED, with nothing changed
   */
  @ActivityMethod
  ConfigPlan renderConfig(ConfigRequest request);

  /**
   * Writes the files {@link #renderConfig} kept aside into the release (keeping what they replace
   * for {@link #revertConfig}), records them, then acts as the request says: restarts the services
   * and waits for their health checks, or signals their process groups, or nothing. Idempotent: a
   * retry finds the files written and acts again. Profile: serviceLifecycle with the health
   * deadline.
   *
   * @throws io.temporal.failure.ApplicationFailure SERVICE_UNHEALTHY, SERVICE_EXITED,
   *     CONFIG_TEMPLATE_FAILED (the host runs another release than the one rendered for)
   */
  @ActivityMethod
  Activation applyConfig(ConfigApply request);

  /**
   * Compensation of {@link #applyConfig}: puts the files it replaced back, with their record, and
   * acts as the request says (the workflow waits for health afterwards). Copes with the apply never
   * having happened. Profile: serviceLifecycle.
   */
  @ActivityMethod
  void revertConfig(ConfigApply request);
}
