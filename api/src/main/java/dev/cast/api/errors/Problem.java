package dev.cast.api.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String instance, String deploymentId) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://cast.dev/problems/";

  public static Problem of(int status, String type, String title, String detail) {
    return new Problem(TYPE_BASE + type, title, status, detail, null, null);
  }

  public Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, deploymentId);
  }

  public Problem withDeploymentId(String id) {
    return new Problem(type, title, status, detail, instance, id);
  }

  public Response.ResponseBuilder response() {
    return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this);
  }
}
