package dev.cast.api.core;

import dev.cast.api.errors.ApiException;
import dev.cast.bundle.NameRules;
import java.util.Optional;

/**
 * Checks names that arrive in URLs and bodies, before anything is looked up. Names follow {@link
 * NameRules}, the rules the agent applies, so nothing is stored that no host could deploy.
 */
public final class Names {
  private Names() {}

  public static String app(String name) {
    return check(NameRules.appProblem(name), name);
  }

  public static String version(String version) {
    return check(NameRules.versionProblem(version), version);
  }

  public static String host(String host) {
    return check(NameRules.hostProblem(host), host);
  }

  private static String check(Optional<String> problem, String value) {
    if (problem.isPresent()) {
      throw ApiException.badRequest("INVALID_REQUEST", problem.get());
    }
    return value;
  }
}
