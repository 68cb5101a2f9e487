package dev.cast.activities.bundle;

import java.io.IOException;

/**
 * The api answered that its own stored copy of the bundle is corrupt. Permanent until the release
 * is pushed again, so the fetch fails at once rather than being retried.
 */
public class StoredBundleCorruptException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoredBundleCorruptException(String message) {
    super(message);
  }
}
