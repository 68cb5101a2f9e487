package dev.cast.activities.bundle;

import java.io.IOException;

/** The api answered that it has no such bundle. Permanent, unlike other I/O failures. */
public class BundleNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  public BundleNotFoundException(String message) {
    super(message);
  }
}
