package dev.cast.api.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
    name = "Problem",
    description = "An error (RFC 9457): detail names the field or file at fault and the fix")
public record Problem(
    @Schema(
            description = "https://cast.dev/problems/ and the problem's name",
            example = "https://cast.dev/problems/INVALID_REQUEST")
        String type,
    @Schema(example = "Bad request") String title,
    @Schema(example = "400") int status,
    @Schema(example = "field \"version\": missing") String detail,
    @Schema(description = "The path the request named", example = "/v1/apps/hello/deployments")
        String instance,
    @Schema(description = "The deployment concerned, when there is one") String deploymentId) {

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
