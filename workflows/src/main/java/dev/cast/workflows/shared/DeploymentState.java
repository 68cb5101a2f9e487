package dev.cast.workflows.shared;

/** The life of a deployment or rollback. */
public enum DeploymentState {
  /** Recorded by the api, workflow not running yet. */
  PENDING,
  RUNNING,
  SUCCEEDED,
  /** Failed and the hosts may not be where they were: needs a look. */
  FAILED,
  /** Failed, and every host switched was put back on its previous release. */
  ROLLED_BACK,
  /** Cancelled by request; every host switched was put back. */
  CANCELLED,
  /** Its workflow vanished (e.g. the embedded Temporal server restarted). */
  INTERRUPTED;

  public boolean terminal() {
    return this != PENDING && this != RUNNING;
  }
}
