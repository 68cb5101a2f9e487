package dev.cast.api.openapi;

/**
 * What a path parameter of Cast's own API names, by its name and the collection it is a member of:
 * {@link Contract} describes every such parameter once, from here, rather than each resource method
 * repeating it. The registry's parameters (Consul's) are described where they are declared.
 */
final class PathParams {
  private PathParams() {}

  /** A parameter's description, example and pattern. */
  record Described(String description, String example, String pattern) {}

  private static final Described APP = new Described("An app", "hello", Patterns.APP);
  private static final Described VERSION =
      new Described("A release's version", "1.0.0", Patterns.VERSION);
  private static final Described SERVICE =
      new Described("A service of the app", "web", Patterns.SERVICE);
  private static final Described HOST = new Described("A host's name", "web-1", Patterns.HOST);
  private static final Described DEPLOYMENT =
      new Described("A deployment's id", "d-abcdefghjk", Patterns.DEPLOYMENT);
  private static final Described TOKEN =
      new Described("The token's id", "t-0123456789abcdef", Patterns.TOKEN);

  /** The parameter {@code name} of an operation at {@code path}; null when it is not Cast's. */
  static Described of(String path, String name) {
    return switch (name) {
      case "app" -> path.startsWith("/v1/apps/") ? APP : null;
      case "version" -> path.startsWith("/v1/apps/") ? VERSION : null;
      case "service" -> path.startsWith("/v1/apps/") ? SERVICE : null;
      case "name" -> path.startsWith("/v1/hosts/") ? HOST : null;
      case "id" ->
          path.startsWith("/v1/deployments/")
              ? DEPLOYMENT
              : path.startsWith("/v1/tokens/") ? TOKEN : null;
      default -> null;
    };
  }
}
