package dev.cast.workflows.shared;

/**
 * Workflow ids built from business keys. One deploy and one rollback per app may run at a time; the
 * api starts them with the FAIL conflict policy and turns a clash into HTTP 409.
 */
public final class WorkflowIds {
  private WorkflowIds() {}

  public static String deploy(String app) {
    return "deploy/" + app;
  }

  public static String rollback(String app) {
    return "rollback/" + app;
  }

  /** A config rollout: one per app at a time, as a deploy. */
  public static String config(String app) {
    return "config/" + app;
  }

  /** A service operation: one id per operation, so they never clash with each other. */
  public static String control(String app, String operationId) {
    return "control/" + app + "/" + operationId;
  }

  /**
   * A part of a deploy or rollback (a child workflow): {@code deploy/<app>/<deployment>/switch-3}.
   * The deployment id keeps the parts of two deployments of one app apart.
   */
  public static String part(String rolloutId, String deploymentId, String part) {
    return rolloutId + "/" + deploymentId + "/" + part;
  }
}
