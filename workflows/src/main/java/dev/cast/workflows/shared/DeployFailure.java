package dev.cast.workflows.shared;

/**
 * Failure types. {@code name()} is the {@code ApplicationFailure} type and the last segment of the
 * REST problem {@code type} URI.
 */
public enum DeployFailure {
  /** The downloaded bundle's sha256 differs from the release record. Permanent. */
  BUNDLE_CHECKSUM_MISMATCH,
  /** The bundle or its manifest is malformed or unsafe. Permanent. */
  INVALID_BUNDLE,
  /** The release is not on the host and cannot be fetched. Permanent. */
  RELEASE_NOT_FOUND,
  /** A hook exited non-zero or ran past its timeout. Permanent. */
  HOOK_FAILED,
  /** A service process could not be started. Permanent. */
  SERVICE_START_FAILED,
  /** A service process exited while the deploy waited for it to become healthy. Permanent. */
  SERVICE_EXITED,
  /** A service did not pass its health check within the deadline. Permanent. */
  SERVICE_UNHEALTHY,
  /** No free port in the host's range. Permanent. */
  PORT_IN_USE,
  /** The request itself is wrong. Permanent. */
  INVALID_REQUEST,
  /** A host never picked up its work. */
  HOST_UNREACHABLE,
  /** No such app or service on the host. Permanent. */
  SERVICE_NOT_FOUND,
  /** The operation needs an enabled service. Permanent. */
  SERVICE_DISABLED,
  /**
   * The host's disk cannot hold the release (bundle download or unpack), checked before staging or
   * met as ENOSPC during it; the message names the need, the free space and where. Permanent: a
   * retry would only fill the disk again.
   */
  INSUFFICIENT_DISK,
  /**
   * A config template could not be rendered (a missing key, a service with no healthy instance, an
   * error in the template); the message names the template, the line and what was missing. Raised
   * before the old release stops. Permanent: the registry has to change first.
   */
  CONFIG_TEMPLATE_FAILED;

  /** Every type; all of them are permanent for an activity retry. */
  public static String[] all() {
    DeployFailure[] values = values();
    String[] names = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      names[i] = values[i].name();
    }
    return names;
  }
}
