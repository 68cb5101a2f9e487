package dev.cast.workflows.shared;

/** Task queue names. Workflows and control activities run on the api; host work on each host. */
public final class TaskQueues {
  /** Workflows and the api's own activities (catalog writes). */
  public static final String CONTROL = "cast-control";

  private static final String HOST_PREFIX = "host-";

  private TaskQueues() {}

  /** The queue every host agent polls for the activities that must run on that host. */
  public static String host(String hostName) {
    return HOST_PREFIX + hostName;
  }
}
