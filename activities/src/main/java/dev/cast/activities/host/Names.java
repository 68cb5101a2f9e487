package dev.cast.activities.host;

import dev.cast.workflows.shared.DeployFailure;
import java.util.regex.Pattern;

/**
 * Checks the names that become paths on the host before anything touches the disk. A request with
 * {@code ../x} as its version must fail, not escape the data dir.
 */
public final class Names {
  private static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private Names() {}

  public static String app(String app) {
    return check(APP, app, "app name");
  }

  public static String version(String version) {
    return check(VERSION, version, "version");
  }

  public static String sha256(String sha256) {
    return check(SHA256, sha256, "sha256 (64 lower-case hex digits)");
  }

  private static String check(Pattern pattern, String value, String what) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw Failures.permanent(
          DeployFailure.INVALID_REQUEST, "\"" + value + "\" is not a valid " + what);
    }
    return value;
  }
}
