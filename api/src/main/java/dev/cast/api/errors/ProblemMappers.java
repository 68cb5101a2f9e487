package dev.cast.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowServiceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Providers;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ParamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves the api as application/problem+json. */
public final class ProblemMappers {
  private ProblemMappers() {}

  /** The mappers to register, in no particular order (Jersey picks the most specific type). */
  public static List<Object> all() {
    return List.of(
        new Api(),
        new Json(),
        new Validation(),
        new Web(),
        new TemporalDown(),
        new Unwrap(),
        new Unexpected());
  }

  abstract static class Base<E extends Throwable> implements ExceptionMapper<E> {
    @Context UriInfo uriInfo;

    Response render(Problem problem) {
      return builder(problem).build();
    }

    Response.ResponseBuilder builder(Problem problem) {
      String path = uriInfo == null ? null : "/" + uriInfo.getPath();
      return problem.withInstance(path).response();
    }
  }

  static final class Api extends Base<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
      Response.ResponseBuilder response =
          builder(
              Problem.of(e.status(), e.type(), e.title(), e.getMessage())
                  .withDeploymentId(e.deploymentId()));
      if (e.retryAfterSeconds() != null) {
        response.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
      }
      return response.build();
    }
  }

  static final class Json extends Base<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
      String where = "";
      if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
        where = "field \"" + fieldPath(mapping) + "\": ";
      }
      return render(
          Problem.of(400, "INVALID_REQUEST", "Bad request", where + e.getOriginalMessage()));
    }

    private static String fieldPath(JsonMappingException e) {
      return e.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
    }
  }

  static final class Validation extends Base<ConstraintViolationException> {
    @Override
    public Response toResponse(ConstraintViolationException e) {
      String detail =
          e.getConstraintViolations().stream()
              .map(ProblemMappers::describe)
              .sorted()
              .collect(Collectors.joining("; "));
      return render(Problem.of(400, "INVALID_REQUEST", "Bad request", detail));
    }
  }

  private static String describe(ConstraintViolation<?> v) {
    String path = v.getPropertyPath().toString();
    int dot = path.lastIndexOf(".arg");
    return (dot >= 0 ? "request body" : path) + " " + v.getMessage();
  }

  static final class Web extends Base<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      if (e instanceof ParamException.QueryParamException query) {
        // JAX-RS answers 404 for a query parameter that does not convert: the request is at fault.
        return render(
            Problem.of(
                400,
                "INVALID_REQUEST",
                "Bad request",
                "query parameter \"" + query.getParameterName() + "\": " + reason(query)));
      }
      Response original = e.getResponse();
      int status = original.getStatus();
      String title = original.getStatusInfo().getReasonPhrase();
      Response.ResponseBuilder response =
          builder(Problem.of(status, "HTTP_" + status, title, e.getMessage()));
      // A 405 says which methods the resource has (RFC 9110), a 401 how to authenticate.
      for (String header : List.of(HttpHeaders.ALLOW, HttpHeaders.WWW_AUTHENTICATE)) {
        original
            .getHeaders()
            .getOrDefault(header, List.of())
            .forEach(v -> response.header(header, v));
      }
      return response.build();
    }
  }

  private static String reason(ParamException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return cause.getMessage() == null ? "not a valid value" : cause.getMessage();
  }

  static final class TemporalDown extends Base<WorkflowServiceException> {
    @Override
    public Response toResponse(WorkflowServiceException e) {
      if (e.getCause() instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        Problem problem =
            Problem.of(
                503,
                "TEMPORAL_UNAVAILABLE",
                "Service unavailable",
                "Temporal is not reachable; check temporal.target and that the server runs");
        return problem.withInstance(null).response().header("Retry-After", "5").build();
      }
      return new Unexpected().toResponse(e);
    }
  }

  /**
   * An asynchronous answer (a blocking read, a registry write) that failed: mapped as what it
   * wraps.
   */
  static final class Unwrap extends Base<CompletionException> {
    @Context Providers providers;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Response toResponse(CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      ExceptionMapper mapper =
          cause instanceof CompletionException
              ? null
              : providers.getExceptionMapper(cause.getClass());
      if (mapper == null) {
        Unexpected fallback = new Unexpected();
        fallback.uriInfo = uriInfo;
        return fallback.toResponse(cause);
      }
      return mapper.toResponse(cause);
    }
  }

  static final class Unexpected extends Base<Throwable> {
    private static final Logger log = LoggerFactory.getLogger(Unexpected.class);

    @Override
    public Response toResponse(Throwable e) {
      String id = UUID.randomUUID().toString();
      log.error("unexpected error {}", id, e);
      return render(
          Problem.of(
              500,
              "INTERNAL",
              "Internal server error",
              "Cast failed unexpectedly; the server log has the details under error id " + id));
    }
  }
}
