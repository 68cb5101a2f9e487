package dev.cast.bundle;

/**
 * A bundle or its manifest is not acceptable. The message always says where the problem is and what
 * it is, in words the bundle's author can act on, e.g. {@code cast.yml:
 * services.web.health.http.port: "admin" is not one of the service's ports [http]}.
 */
public class BundleException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String where;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param where the location, e.g. {@code cast.yml: services.web.command}, {@code archive entry
   *     "../evil"} or {@code archive}
   * @param problem what is wrong there
   */
  public BundleException(String where, String problem) {
    super(where + ": " + problem);
    this.where = where;
    this.problem = problem;
  }

  /** The location of the problem, e.g. {@code cast.yml: services.web.command}. */
  public String where() {
    return where;
  }

  /** What is wrong at {@link #where()}. */
  public String problem() {
    return problem;
  }
}
