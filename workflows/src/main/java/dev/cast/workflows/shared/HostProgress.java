package dev.cast.workflows.shared;

/**
 * One host's part in a deployment.
 *
 * @param state the {@link HostState#label() label} of a {@link HostState}, or, for a host a service
 *     operation is done with, the service's own state as its supervisor reports it ({@code
 *     running}, {@code stopped} …). It stays a string for that reason, and because the catalog and
 *     the REST api carry these strings as they are.
 * @param message what happened last, for people
 */
public record HostProgress(String host, String state, String message) {

  /** A host in one of the states a workflow sets itself. */
  public static HostProgress of(String host, HostState state, String message) {
    return new HostProgress(host, state.label(), message);
  }

  /**
   * Whether the host is still as every host of a rollout starts: a part of a rollout that has not
   * reached it yet says nothing new of it.
   */
  public boolean untouched() {
    return HostState.PENDING.label().equals(state);
  }
}
