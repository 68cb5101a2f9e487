package dev.cast.activities.host;

import dev.cast.bundle.NameRules;
import dev.cast.workflows.shared.DeployFailure;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the names that become paths on the host before anything touches the disk. A request with
 * {@code ../x} as its version must fail, not escape the data dir. The rules are {@link NameRules},
 * the same the api applies at push.
 */
public final class PathNames {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern DEPLOYMENT = Pattern.compile("d-[a-z0-9]{1,40}");

  private PathNames() {}

  public static String app(String app) {
    return check(NameRules.appProblem(app), app);
  }

  public static String version(String version) {
    return check(NameRules.versionProblem(version), version);
  }

  public static String service(String service) {
    return check(NameRules.serviceProblem(service), service);
  }

  public static String sha256(String sha256) {
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw ApplicationFailures.permanent(
          DeployFailure.INVALID_REQUEST,
          "\"" + sha256 + "\" is not a valid sha256 (64 lower-case hex digits)");
    }
    return sha256;
  }

  /** A deployment id as the api makes them ({@code d-} and lower-case letters and digits). */
  public static String deploymentId(String id) {
    if (id == null || !DEPLOYMENT.matcher(id).matches()) {
      throw ApplicationFailures.permanent(
          DeployFailure.INVALID_REQUEST,
          "\"" + id + "\" is not a deployment id (d- and up to 40 lower-case letters or digits)");
    }
    return id;
  }

  private static String check(Optional<String> problem, String value) {
    if (problem.isPresent()) {
      throw ApplicationFailures.permanent(DeployFailure.INVALID_REQUEST, problem.get());
    }
    return value;
  }
}
