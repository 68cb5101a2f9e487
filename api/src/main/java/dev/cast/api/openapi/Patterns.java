package dev.cast.api.openapi;

/**
 * The names in paths, as regular expressions for the contract's parameter schemas: the rules of
 * {@code NameRules} (a test keeps them equal), and of the registry's keys and ids.
 */
public final class Patterns {
  public static final String APP = "^[a-z0-9][a-z0-9-]{0,62}$";
  public static final String VERSION = "^[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,63}$";
  public static final String SERVICE = "^[a-z0-9][a-z0-9_-]{0,62}$";
  public static final String HOST = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";

  /** A deployment's id, {@code d-} and ten letters or digits; any other is simply not found. */
  public static final String DEPLOYMENT = "^d-[0-9a-z]{10}$";

  /** A token's id, {@code t-} and 16 hex digits. */
  public static final String TOKEN = "^t-[0-9a-f]{16}$";

  /** A session's id: a UUID. */
  public static final String SESSION =
      "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

  /** A character Jetty hands on as it is in a path segment: not / \ ; % or a control. */
  private static final String C = "[^\\u0000-\\u001f\\u007f/\\\\;%]";

  private static final String NOT_DOT = "[^\\u0000-\\u001f\\u007f/\\\\;%.]";

  /**
   * One segment of a registry key: printable, without {@code / \ ; %} (an encoded one is refused as
   * ambiguous), and not {@code .} or {@code ..}. A key of several segments is written as they are,
   * {@code /v1/kv/config/hello/greeting}.
   */
  public static final String KEY =
      "^(" + NOT_DOT + C + "{0,511}|\\." + NOT_DOT + C + "{0,510}|\\.\\." + C + "{1,510})$";

  /** A free-form id or name in a path (a session's id, a Consul service's name): as a key. */
  public static final String SEGMENT =
      "^(" + NOT_DOT + C + "{0,255}|\\." + NOT_DOT + C + "{0,254}|\\.\\." + C + "{1,254})$";

  /** A Go duration as Consul reads it: {@code 10s}, {@code 1m30s}, {@code 250ms}. */
  public static final String GO_DURATION = "^(0|([0-9]+(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+)$";

  /** A registry index or a key's flags: an unsigned 64-bit integer (19 digits always fit). */
  public static final String INDEX = "^[0-9]{1,19}$";

  /** A blocking read's index: empty is 0, no blocking. */
  public static final String INDEX_OR_EMPTY = "^[0-9]{0,19}$";

  /** A Dropwizard duration as the api's bodies take it: {@code 30s}, {@code 10m}, {@code 1h}. */
  public static final String DURATION =
      "^[0-9]+ ?(ns|us|ms|s|m|h|d|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?)$";

  /** A flag as Consul reads it: present and empty, or true/false as Go parses it. */
  public static final String CONSUL_FLAG = "^(|[01tTfF]|[tT][rR][uU][eE]|[fF][aA][lL][sS][eE])$";

  /** An app name or a glob of them, as a token's {@code apps} lists them. */
  public static final String APP_GLOB = "^[a-z0-9*][a-z0-9*-]{0,62}$";

  /** A token's name. */
  public static final String TOKEN_NAME = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$";

  private Patterns() {}
}
