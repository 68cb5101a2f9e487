package dev.cast.bundle;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one definition of what app names, versions, service names and host names may be. A name
 * becomes a path on every host (for example {@code apps/<app>/releases/<version>}), so the api
 * refuses at push exactly what the agent would refuse at deploy: a version of {@code .}, {@code ..}
 * or {@code .hidden} is never accepted anywhere. The api, the agent and the manifest parser wrap
 * these checks in their own exception types.
 */
public final class NameRules {

  /** An app name: lower-case letters, digits and '-', starting with a letter or digit, ≤ 63. */
  public static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** A version: letters, digits and {@code . _ + -}, not starting with '.', ≤ 64. */
  public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,63}");

  /** A service name: lower-case letters, digits, '_' and '-', starting with a letter or digit. */
  public static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /** A host name: letters, digits and {@code . _ -}, starting with a letter or digit, ≤ 63. */
  public static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  /** What an app name may be, in words. */
  public static final String APP_RULE =
      "lower-case letters, digits and '-', starting with a letter or digit, at most 63";

  /** What a version may be, in words. */
  public static final String VERSION_RULE =
      "letters, digits and . _ + -, not starting with '.', at most 64";

  /** What a service name may be, in words. */
  public static final String SERVICE_RULE =
      "lower-case letters, digits, '_' and '-', starting with a letter or digit, at most 63";

  /** What a host name may be, in words. */
  public static final String HOST_RULE =
      "letters, digits and . _ -, starting with a letter or digit, at most 63";

  private NameRules() {}

  /** Why {@code name} is not a valid app name, or empty when it is. */
  public static Optional<String> appProblem(String name) {
    return problem(APP, 63, name, "a valid app name", APP_RULE);
  }

  /** Why {@code version} is not a valid version, or empty when it is. */
  public static Optional<String> versionProblem(String version) {
    return problem(VERSION, 64, version, "a valid version", VERSION_RULE);
  }

  /** Why {@code name} is not a valid service name, or empty when it is. */
  public static Optional<String> serviceProblem(String name) {
    return problem(SERVICE, 63, name, "a valid service name", SERVICE_RULE);
  }

  /** Why {@code name} is not a valid host name, or empty when it is. */
  public static Optional<String> hostProblem(String name) {
    return problem(HOST, 63, name, "a valid host name", HOST_RULE);
  }

  /** True when {@code name} is a valid app name. */
  public static boolean isApp(String name) {
    return name != null && APP.matcher(name).matches();
  }

  /** True when {@code version} is a valid version. */
  public static boolean isVersion(String version) {
    return version != null && VERSION.matcher(version).matches();
  }

  /** True when {@code name} is a valid service name. */
  public static boolean isService(String name) {
    return name != null && SERVICE.matcher(name).matches();
  }

  private static Optional<String> problem(
      Pattern pattern, int max, String value, String what, String rule) {
    if (value == null) {
      return Optional.of(what + " is missing");
    }
    if (pattern.matcher(value).matches()) {
      return Optional.empty();
    }
    String why;
    if (value.isEmpty()) {
      why = "it is empty";
    } else if (value.startsWith(".")) {
      why = "it must not start with '.'";
    } else if (value.length() > max) {
      why = "it is " + value.length() + " characters long";
    } else {
      why = "it has a character that is not allowed";
    }
    return Optional.of(
        "\"" + printable(value) + "\" is not " + what + ": " + why + " (use " + rule + ")");
  }

  /** The value with control characters escaped, so a message never carries them. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value
        .codePoints()
        .limit(100)
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\x%02x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return value.codePointCount(0, value.length()) > 100 ? out + "..." : out.toString();
  }
}
