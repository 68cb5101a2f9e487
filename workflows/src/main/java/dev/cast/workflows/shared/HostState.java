package dev.cast.workflows.shared;

/**
 * Where one host stands in a deployment, a rollback or a service operation: the {@code state} of
 * its {@link HostProgress}. The label, not the constant's name, is what the catalog stores, the
 * REST api shows and recorded histories carry, so a label never changes.
 */
public enum HostState {
  /** Waiting for its turn. */
  PENDING("pending"),
  /** Fetching and unpacking the release. */
  STAGING("staging"),
  /** The release is unpacked on the host, not serving yet. */
  STAGED("staged"),
  /** Switching to the release and waiting for its health checks. */
  ACTIVATING("activating"),
  /** The release serves and passes its checks. */
  HEALTHY("healthy"),
  /** A step failed on the host; the message says which and why. */
  FAILED("failed"),
  /** Going back to the release it ran before. */
  REVERTING("reverting"),
  /** Back on the release it ran before (or stopped, when it had none). */
  REVERTED("reverted"),
  /** Its agent took no work in time or stopped reporting to the api. */
  UNREACHABLE("unreachable"),
  /**
   * A service operation acts on the host. A host it is done with shows the service's own state
   * instead ({@code running}, {@code stopped} and so on), which is not a host state.
   */
  WORKING("working"),
  /**
   * Set by the api on a host of an interrupted deployment that has since reported the deployment's
   * release current.
   */
  SWITCHED("switched"),
  /**
   * Set by the api on a host of an interrupted deployment that has since reported another release
   * current.
   */
  UNCHANGED("unchanged");

  private final String label;

  HostState(String label) {
    this.label = label;
  }

  /** The state as it is stored and shown. */
  public String label() {
    return label;
  }
}
