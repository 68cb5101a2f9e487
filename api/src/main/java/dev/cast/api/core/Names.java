package dev.cast.api.core;

import dev.cast.api.errors.ApiException;
import dev.cast.bundle.NameRules;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks names that arrive in URLs and bodies, before anything is looked up. App names and versions
 * follow {@link NameRules}, the rules the agent applies, so nothing is stored that no host could
 * deploy.
 */
public final class Names {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private Names() {}

  public static String app(String name) {
    return check(NameRules.appProblem(name), name);
  }

  public static String version(String version) {
    return check(NameRules.versionProblem(version), version);
  }

  public static String host(String host) {
    if (host == null || !HOST.matcher(host).matches()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          "host name "
              + (host == null ? "is missing" : "\"" + host + "\" is invalid")
              + ": use letters, digits and . _ -, at most 63");
    }
    return host;
  }

  private static String check(Optional<String> problem, String value) {
    if (problem.isPresent()) {
      throw ApiException.badRequest("INVALID_REQUEST", problem.get());
    }
    return value;
  }
}
