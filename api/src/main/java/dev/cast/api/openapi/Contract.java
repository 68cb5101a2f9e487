package dev.cast.api.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cast.api.errors.Problem;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.core.util.Yaml31;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The api's OpenAPI 3.1 contract: what swagger-core reads from the resources' JAX-RS and OpenAPI
 * annotations, plus the pieces every operation shares, added here once rather than on each method:
 * the security schemes and who may call it ({@link Access}), the problem+json error type and the
 * errors any request can meet (400 for a malformed request, 401 and 403 where a token is checked,
 * 404 where a path names something, 415 for a body of another type), and what a marker on the
 * method stands for ({@link BlockingQuery}, {@link Datacenter}, {@link DeploymentAccepted}).
 */
public final class Contract {
  /** The shared error responses, for {@code @ApiResponse(ref = ...)} on the resources. */
  public static final String BAD_REQUEST = "#/components/responses/BadRequest";

  public static final String NOT_FOUND = "#/components/responses/NotFound";
  public static final String CONFLICT = "#/components/responses/Conflict";
  public static final String TOO_LARGE = "#/components/responses/PayloadTooLarge";
  public static final String TOO_MANY = "#/components/responses/TooManyRequests";
  public static final String UNAVAILABLE = "#/components/responses/ServiceUnavailable";

  /** The problem+json schema, for responses that describe their own problem. */
  public static final String PROBLEM = "#/components/schemas/Problem";

  private static final String UNAUTHORIZED = "#/components/responses/Unauthorized";
  private static final String FORBIDDEN = "#/components/responses/Forbidden";
  private static final String UNSUPPORTED = "#/components/responses/UnsupportedMediaType";

  private final OpenAPI api;

  private Contract(OpenAPI api) {
    this.api = api;
  }

  /** The contract of these resource classes (those with {@code @Path}; others are skipped). */
  public static Contract of(Set<Class<?>> resources, String version) {
    NullableProperties.install();
    Set<Class<?>> sorted = new LinkedHashSet<>();
    resources.stream()
        .filter(c -> c.isAnnotationPresent(Path.class))
        .sorted(Comparator.comparing(Class::getName))
        .forEach(sorted::add);
    SwaggerConfiguration config =
        new SwaggerConfiguration()
            .openAPI(base(version))
            .openAPI31(true)
            .sortOutput(true)
            .prettyPrint(true)
            .defaultResponseCode("200");
    OpenAPI api = new Reader(config).read(sorted);
    api.getComponents().getSchemas().putAll(ModelConverters.getInstance(true).read(Problem.class));
    NullableProperties.settle(api.getComponents().getSchemas());
    for (Class<?> resource : sorted) {
      for (Method method : resource.getMethods()) {
        String verb = httpMethod(method);
        if (verb != null) {
          share(operation(api, Routes.path(resource, method), verb), resource, method, verb);
        }
      }
    }
    return new Contract(api);
  }

  public OpenAPI openApi() {
    return api;
  }

  public String json() {
    try {
      return Json31.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(api);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the contract does not serialize", e);
    }
  }

  public String yaml() {
    try {
      return Yaml31.pretty().writeValueAsString(api);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the contract does not serialize", e);
    }
  }

  /** The HTTP method of a resource method ({@code @GET}, {@code @PUT}, …), or null. */
  static String httpMethod(Method method) {
    for (Annotation a : method.getAnnotations()) {
      HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  private static Operation operation(OpenAPI api, String path, String verb) {
    PathItem item = api.getPaths() == null ? null : api.getPaths().get(path);
    Operation op =
        item == null ? null : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(verb));
    if (op == null) {
      throw new IllegalStateException("the contract has no " + verb + " " + path);
    }
    return op;
  }

  /** Who may call it, and the errors it shares with every other operation. */
  private static void share(Operation op, Class<?> resource, Method method, String verb) {
    Access access = Access.of(resource, method, verb);
    access.extension().forEach(op::addExtension);
    if (!access.isPublic()) {
      op.setSecurity(
          access.schemes().stream().map(s -> new SecurityRequirement().addList(s)).toList());
    }
    String path = Routes.path(resource, method);
    if (op.getParameters() != null) {
      for (Parameter parameter : op.getParameters()) {
        PathParams.Described described =
            "path".equals(parameter.getIn()) && parameter.getDescription() == null
                ? PathParams.of(path, parameter.getName())
                : null;
        if (described != null) {
          parameter.setDescription(described.description());
          parameter.setExample(described.example());
          parameter.setSchema(text(described.pattern()));
        }
      }
    }
    if (method.isAnnotationPresent(BlockingQuery.class)) {
      op.addParametersItem(
          new QueryParameter()
              .name("index")
              .description(
                  "Block until the registry's index passes this (X-Consul-Index of an earlier"
                      + " answer)")
              .schema(text(Patterns.INDEX_OR_EMPTY)));
      op.addParametersItem(
          new QueryParameter()
              .name("wait")
              .description("The longest a blocking read waits (default 5m, at most 10m)")
              .example("30s")
              .schema(text(Patterns.GO_DURATION)));
    }
    if (method.isAnnotationPresent(Datacenter.class)) {
      Schema<String> dc = text(null);
      dc.setEnum(List.of("", "dc1"));
      op.addParametersItem(
          new QueryParameter()
              .name("dc")
              .description("dc1, or empty: Cast has that one datacenter")
              .schema(dc));
    }
    ApiResponses responses = op.getResponses();
    DeploymentAccepted accepted = method.getAnnotation(DeploymentAccepted.class);
    if (accepted != null) {
      Schema<Object> view = new Schema<>().$ref("#/components/schemas/DeploymentView");
      responses.addApiResponse(
          "202",
          new ApiResponse()
              .description(accepted.value())
              .addHeaderObject(
                  "Location",
                  new Header()
                      .description("The deployment")
                      .style(Header.StyleEnum.SIMPLE)
                      .schema(text(null)))
              .content(
                  new Content().addMediaType("application/json", new MediaType().schema(view))));
      addIfAbsent(responses, "503", UNAVAILABLE);
    }
    addIfAbsent(responses, "400", BAD_REQUEST);
    if (!access.isPublic()) {
      addIfAbsent(responses, "401", UNAUTHORIZED);
      addIfAbsent(responses, "403", FORBIDDEN);
    }
    if (Routes.path(resource, method).contains("{")) {
      addIfAbsent(responses, "404", NOT_FOUND);
    }
    Consumes consumes = method.getAnnotation(Consumes.class);
    if (op.getRequestBody() != null
        && consumes != null
        && !List.of(consumes.value()).contains(jakarta.ws.rs.core.MediaType.WILDCARD)) {
      addIfAbsent(responses, "415", UNSUPPORTED);
    }
    // Sorted by status code, as a reader expects.
    Map<String, ApiResponse> byCode = new TreeMap<>(responses);
    responses.clear();
    responses.putAll(byCode);
  }

  /** A string matching {@code pattern}, as OpenAPI 3.1 writes it. */
  private static Schema<String> text(String pattern) {
    Schema<String> schema = new Schema<>();
    schema.setTypes(Set.of("string"));
    schema.setPattern(pattern);
    return schema;
  }

  private static void addIfAbsent(ApiResponses responses, String code, String ref) {
    if (!responses.containsKey(code)) {
      responses.addApiResponse(code, new ApiResponse().$ref(ref));
    }
  }

  private static OpenAPI base(String version) {
    Components components =
        new Components()
            .addSecuritySchemes(
                Access.BEARER,
                new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description(
                        "A user's token (cast_…): the first admin token is in the server's"
                            + " <dataDir>/admin-token; admins make more with POST /v1/tokens."))
            .addSecuritySchemes(
                Access.AGENT,
                new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description(
                        "A host's own token, or the agent token (agents.token) to register a new"
                            + " host."))
            .addSecuritySchemes(
                Access.CONSUL,
                new SecurityScheme()
                    .type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER)
                    .name("X-Consul-Token")
                    .description(
                        "A user's token as Consul's clients send it (also accepted as ?token=)."))
            .addSecuritySchemes(
                Access.CAPABILITY,
                new SecurityScheme()
                    .type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.QUERY)
                    .name("cap")
                    .description(
                        "A release's signed capability, in the bundle URLs the api hands agents"
                            + " and web seeds."))
            .addResponses(
                "BadRequest",
                problem(
                    "The request is malformed or a value is out of range.",
                    400,
                    "INVALID_REQUEST",
                    "Bad request",
                    "limit: 5000 is outside 1 to 1000"))
            .addResponses(
                "Unauthorized",
                problem(
                    "No token, or an unknown, revoked or expired one.",
                    401,
                    "TOKEN_REQUIRED",
                    "Unauthorized",
                    "a token is required: send Authorization: Bearer <token>"))
            .addResponses(
                "Forbidden",
                problem(
                    "The token's role or apps do not reach this call.",
                    403,
                    "FORBIDDEN",
                    "Forbidden",
                    "admin role required; token \"ci\" is a deployer"))
            .addResponses(
                "NotFound",
                problem(
                    "What the path names does not exist.",
                    404,
                    "APP_NOT_FOUND",
                    "Not found",
                    "no app named \"shop\""))
            .addResponses(
                "Conflict",
                problem(
                    "The request clashes with the current state.",
                    409,
                    "DEPLOYMENT_RUNNING",
                    "Conflict",
                    "deployment d-abcdefghjk of hello is running"))
            .addResponses(
                "PayloadTooLarge",
                problem(
                    "The body is over its limit.",
                    413,
                    "BUNDLE_TOO_LARGE",
                    "Request entity too large",
                    "the bundle is over bundles.maxSize (512 MiB)"))
            .addResponses(
                "UnsupportedMediaType",
                problem(
                    "The body is not of a type this call reads.",
                    415,
                    "HTTP_415",
                    "Unsupported Media Type",
                    "HTTP 415 Unsupported Media Type"))
            .addResponses(
                "TooManyRequests",
                problem(
                    "Busy: retry after the seconds Retry-After says.",
                    429,
                    "BUSY",
                    "Too many requests",
                    "4 pushes are being checked; retry in a few seconds"))
            .addResponses(
                "ServiceUnavailable",
                problem(
                    "Temporal is not reachable; retry after Retry-After.",
                    503,
                    "TEMPORAL_UNAVAILABLE",
                    "Service unavailable",
                    "Temporal is not reachable; check temporal.target and that the server runs"));
    return new OpenAPI()
        .info(
            new Info()
                .title("Cast")
                .version(version)
                .description(
                    "Cast's REST API: releases, deployments, hosts, services, tokens, and the"
                        + " registry in Consul's shapes. Every error is application/problem+json"
                        + " (RFC 9457), except the registry's, which answers as Consul does."
                        + " x-cast-role on each operation names the role it needs.")
                .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
        .components(components);
  }

  private static ApiResponse problem(
      String description, int status, String type, String title, String detail) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    Problem.MEDIA_TYPE,
                    new MediaType()
                        .schema(new Schema<>().$ref(PROBLEM))
                        .example(Problem.of(status, type, title, detail))));
  }
}
