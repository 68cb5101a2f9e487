package dev.cast.cli.client;

/**
 * Ends a client command with an exit code a CI job can act on, and one line saying why (and, where
 * there is one, the fix).
 */
public final class CliFailure extends RuntimeException {
  /** The deployment failed or was rolled back. */
  public static final int FAILED = 1;

  /** The request was refused as it stands (4xx): fix it and try again. */
  public static final int BAD_INPUT = 2;

  /** The deployment was cancelled. */
  public static final int CANCELLED = 3;

  /** The api could not be reached. */
  public static final int UNREACHABLE = 4;

  private final int code;

  public CliFailure(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
