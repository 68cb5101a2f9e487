package dev.cast.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.cast.api.auth.Caller;
import dev.cast.api.auth.RegistryApi;
import dev.cast.api.errors.ApiException;
import dev.cast.api.openapi.BlockingQuery;
import dev.cast.api.openapi.Patterns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Consul's sessions: {@code PUT /v1/session/create|renew/{id}|destroy/{id}}, {@code GET
 * /v1/session/info/{id}|list|node/{node}}. A session's TTL is 10s to 24h (or none); it may be bound
 * to a Cast host ({@code Node}), and ends when that host goes down.
 */
@Path("/v1/session")
@Tag(name = "registry")
@RegistryApi(keys = true)
@Produces(MediaType.APPLICATION_JSON)
public final class SessionResource {
  static final Duration MIN_TTL = Duration.ofSeconds(10);
  static final Duration MAX_TTL = Duration.ofHours(24);
  static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);
  private static final Set<String> FIELDS =
      Set.of(
          "ID",
          "Name",
          "Node",
          "TTL",
          "Behavior",
          "LockDelay",
          "Checks",
          "NodeChecks",
          "ServiceChecks",
          "Namespace",
          "Partition");

  private final Registry registry;
  private final ObjectMapper json;
  private final Predicate<String> knownHost;

  public SessionResource(Registry registry, ObjectMapper json, Predicate<String> knownHost) {
    this.registry = registry;
    this.json = json;
    this.knownHost = knownHost;
  }

  @Operation(
      operationId = "sessionCreate",
      summary = "Create a session",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = ConsulShapes.SessionSpec.class),
                      examples =
                          @ExampleObject(
                              value =
                                  "{\"Name\": \"leader\", \"TTL\": \"15s\", \"Behavior\": \"release\"}"))),
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Created",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = ConsulShapes.SessionCreated.class))))
  @PUT
  @Path("/create")
  @Consumes(MediaType.WILDCARD)
  public CompletionStage<Response> create(InputStream body, @Context SecurityContext security)
      throws IOException {
    mayWrite(security);
    byte[] raw = KvResource.read(body, 64 * 1024);
    JsonNode spec;
    try {
      spec = raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
    } catch (IOException e) {
      throw bad("Request decode failed: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (spec == null || !spec.isObject()) {
      throw bad(
          "Request decode failed: expected a JSON object such as {\"Name\": \"leader\", \"TTL\": \"15s\"}");
    }
    for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw bad("unknown field \"" + name + "\"; expected one of " + FIELDS);
      }
    }
    String name = text(spec, "Name");
    if (name != null && (name.length() > 256 || name.chars().anyMatch(c -> c < 0x20))) {
      throw bad("Name: at most 256 printable characters");
    }
    long ttl = 0;
    String ttlText = text(spec, "TTL");
    if (ttlText != null && !ttlText.isEmpty()) {
      Duration d = Blocks.parseDuration("INVALID_SESSION", "session TTL", ttlText);
      if (!d.isZero() && (d.compareTo(MIN_TTL) < 0 || d.compareTo(MAX_TTL) > 0)) {
        throw bad("Invalid Session TTL '" + ttlText + "', must be between [10s=24h0m0s]");
      }
      ttl = d.toMillis();
    }
    String behavior = text(spec, "Behavior");
    if (behavior == null || behavior.isEmpty()) {
      behavior = "release";
    }
    if (!behavior.equals("release") && !behavior.equals("delete")) {
      throw bad("Invalid Behavior setting '" + behavior + "'; use release or delete");
    }
    long lockDelay = lockDelay(spec.get("LockDelay"));
    String node = text(spec, "Node");
    if (node != null && node.isEmpty()) {
      node = null;
    }
    if (node != null && !knownHost.test(node)) {
      throw bad(
          "Missing node registration: \""
              + node
              + "\" is not a Cast host (GET /v1/hosts lists them); leave Node out for a session"
              + " that only its TTL ends");
    }
    for (String checks : List.of("Checks", "NodeChecks", "ServiceChecks")) {
      JsonNode given = spec.get(checks);
      if (given != null && !given.isNull() && !given.isArray()) {
        throw bad(checks + " must be a list, not " + given.getNodeType().toString().toLowerCase());
      }
      if (given != null && !given.isNull() && given.size() > 0 && !onlySerf(given)) {
        throw bad(
            checks
                + ": Cast binds a session to its host's heartbeat (Node) and its TTL only; other"
                + " checks are not supported");
      }
    }
    String id = UUID.randomUUID().toString();
    return registry
        .createSession(id, name, node, ttl, behavior, lockDelay)
        .thenApply(s -> ConsulJson.ok(json.createObjectNode().put("ID", s.id()), s.modifyIndex()));
  }

  @Operation(
      operationId = "sessionDestroy",
      summary = "Destroy a session",
      description =
          "Its locks are released (or its keys deleted, with Behavior delete). true, also for a session that is not there.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Destroyed",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(mediaType = "application/json", schema = @Schema(types = "boolean"))))
  @PUT
  @Path("/destroy/{id}")
  public CompletionStage<Response> destroy(
      @Parameter(
              description = "The session's id",
              example = "adf4238a-882b-9ddc-4a9d-5b6758e4159e",
              schema = @Schema(pattern = Patterns.SEGMENT))
          @PathParam("id")
          String id,
      @Context SecurityContext security) {
    mayWrite(security);
    return registry
        .destroySession(id)
        .thenApply(ended -> ConsulJson.ok(BooleanNode.TRUE, registry.sessions().index()));
  }

  @Operation(
      operationId = "sessionRenew",
      summary = "Renew a session",
      description = "Its TTL starts again.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Renewed",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      array =
                          @ArraySchema(
                              schema = @Schema(implementation = ConsulShapes.Session.class)))))
  @PUT
  @Path("/renew/{id}")
  public Response renew(
      @Parameter(
              description = "The session's id",
              example = "adf4238a-882b-9ddc-4a9d-5b6758e4159e",
              schema = @Schema(pattern = Patterns.SEGMENT))
          @PathParam("id")
          String id,
      @Context SecurityContext security) {
    mayWrite(security);
    RegistrySession session =
        registry
            .renew(id)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "SESSION_NOT_FOUND",
                        "Session id '"
                            + id
                            + "' not found (it expired or was destroyed); create a new one"));
    ArrayNode out = json.createArrayNode().add(ConsulJson.session(json, session));
    return ConsulJson.ok(out, session.modifyIndex());
  }

  @BlockingQuery
  @Operation(
      operationId = "sessionInfo",
      summary = "Read a session",
      description = "An empty list when it is not there.",
      parameters = {},
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The session, or none",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      array =
                          @ArraySchema(
                              schema = @Schema(implementation = ConsulShapes.Session.class)))))
  @GET
  @Path("/info/{id}")
  public CompletionStage<Response> info(
      @Parameter(
              description = "The session's id",
              example = "adf4238a-882b-9ddc-4a9d-5b6758e4159e",
              schema = @Schema(pattern = Patterns.SEGMENT))
          @PathParam("id")
          String id,
      @Context UriInfo uri) {
    Blocks blocks = Blocks.of(uri.getQueryParameters());
    return registry
        .blocking()
        .await(blocks.index(), blocks.maxWait(), () -> registry.session(id), Registry.SESSIONS)
        .thenApply(
            answer -> {
              ArrayNode out = json.createArrayNode();
              answer.body().ifPresent(s -> out.add(ConsulJson.session(json, s)));
              return ConsulJson.ok(out, answer.index());
            });
  }

  @BlockingQuery
  @Operation(
      operationId = "sessionList",
      summary = "List sessions",
      parameters = {},
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Every session",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      array =
                          @ArraySchema(
                              schema = @Schema(implementation = ConsulShapes.Session.class)))))
  @GET
  @Path("/list")
  public CompletionStage<Response> list(@Context UriInfo uri) {
    return listed(uri, null);
  }

  @BlockingQuery
  @Operation(
      operationId = "sessionsOfNode",
      summary = "List a host's sessions",
      parameters = {},
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The sessions bound to the host",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      array =
                          @ArraySchema(
                              schema = @Schema(implementation = ConsulShapes.Session.class)))))
  @GET
  @Path("/node/{node}")
  public CompletionStage<Response> node(
      @Parameter(
              description = "A node (a Cast host); any other has no sessions",
              example = "web-1",
              schema = @Schema(pattern = Patterns.SEGMENT))
          @PathParam("node")
          String node,
      @Context UriInfo uri) {
    return listed(uri, node);
  }

  private CompletionStage<Response> listed(UriInfo uri, String node) {
    Blocks blocks = Blocks.of(uri.getQueryParameters());
    return registry
        .blocking()
        .await(blocks.index(), blocks.maxWait(), registry::sessions, Registry.SESSIONS)
        .thenApply(
            answer -> {
              ArrayNode out = json.createArrayNode();
              answer.body().stream()
                  .filter(s -> node == null || node.equals(s.node()))
                  .forEach(s -> out.add(ConsulJson.session(json, s)));
              return ConsulJson.ok(out, answer.index());
            });
  }

  /** Consul's LockDelay: a duration string, or a number (seconds below 1000, else nanoseconds). */
  static long lockDelay(JsonNode given) {
    long millis;
    if (given == null || given.isNull()) {
      millis = 15_000;
    } else if (given.isNumber()) {
      double n = given.asDouble();
      if (n < 0) {
        throw bad("Invalid LockDelay " + given + ": it cannot be negative");
      }
      millis = n < 1000 ? (long) (n * 1000) : (long) (n / 1_000_000);
    } else if (given.isTextual()) {
      millis = Blocks.parseDuration("INVALID_SESSION", "LockDelay", given.asText()).toMillis();
    } else {
      throw bad("Invalid LockDelay " + given + ": give a duration such as \"15s\"");
    }
    if (millis > MAX_LOCK_DELAY.toMillis()) {
      throw bad("Invalid LockDelay " + given + ": at most 60s");
    }
    return millis;
  }

  private static boolean onlySerf(JsonNode checks) {
    for (JsonNode check : checks) {
      if (!check.isTextual() || !"serfHealth".equals(check.asText())) {
        return false;
      }
    }
    return true;
  }

  private static void mayWrite(SecurityContext security) {
    Caller caller = Keys.caller(security);
    if (caller != null && !caller.writesSomewhere()) {
      throw new ApiException(
          403,
          "FORBIDDEN",
          "Forbidden",
          "Permission denied: token \""
              + caller.name()
              + "\" may not write any key, so it may not hold sessions",
          null);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw bad(field + " must be a string, not " + v);
    }
    return v.asText();
  }

  private static ApiException bad(String detail) {
    return ApiException.badRequest("INVALID_SESSION", detail);
  }
}
