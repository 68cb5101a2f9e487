package dev.cast.api.errors;

/**
 * A request Cast refuses, rendered as application/problem+json. {@code type} is the last segment of
 * the problem type URI; {@code detail} says what is wrong and where, in words that name the fix.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final String deploymentId;
  private final Integer retryAfterSeconds;

  public ApiException(int status, String type, String title, String detail, String deploymentId) {
    this(status, type, title, detail, deploymentId, null);
  }

  private ApiException(
      int status,
      String type,
      String title,
      String detail,
      String deploymentId,
      Integer retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.deploymentId = deploymentId;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * 429: the request was fine but the api is busy; the client may retry after that many seconds.
   */
  public static ApiException tooManyRequests(String type, String detail, int retryAfterSeconds) {
    return new ApiException(429, type, "Too many requests", detail, null, retryAfterSeconds);
  }

  /** A 500 or 503 that is not a bug: the detail says what to do. */
  public static ApiException serverError(int status, String type, String title, String detail) {
    return new ApiException(status, type, title, detail, null, null);
  }

  public static ApiException badRequest(String type, String detail) {
    return new ApiException(400, type, "Bad request", detail, null);
  }

  public static ApiException notFound(String type, String detail) {
    return new ApiException(404, type, "Not found", detail, null);
  }

  public static ApiException conflict(String type, String detail) {
    return new ApiException(409, type, "Conflict", detail, null);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String deploymentId() {
    return deploymentId;
  }

  /** Seconds for the {@code Retry-After} header, or null for none. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
