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

  public ApiException(int status, String type, String title, String detail, String deploymentId) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.deploymentId = deploymentId;
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
}
