package dev.cast.api.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.cast.api.auth.Caller;
import dev.cast.api.auth.RegistryApi;
import dev.cast.api.errors.ApiException;
import dev.cast.api.openapi.BlockingQuery;
import dev.cast.api.openapi.Contract;
import dev.cast.api.openapi.Patterns;
import dev.cast.api.registry.KvOp.Verb;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Consul's key/value API: {@code GET|PUT|DELETE /v1/kv/<key>}, with {@code ?recurse}, {@code
 * ?keys}, {@code ?separator}, {@code ?raw}, {@code ?cas}, {@code ?flags}, {@code ?acquire}, {@code
 * ?release}, and blocking reads ({@code ?index=&wait=}). Every answer carries {@code
 * X-Consul-Index}.
 */
@Path("/v1/kv")
@Tag(name = "registry", description = "Consul's API: keys, transactions, sessions, catalog, health")
@RegistryApi(keys = true)
@Produces(MediaType.APPLICATION_JSON)
public final class KvResource {
  private final Registry registry;
  private final ObjectMapper json;
  private final long maxValue;

  public KvResource(Registry registry, ObjectMapper json, long maxValue) {
    this.registry = registry;
    this.json = json;
    this.maxValue = maxValue;
  }

  @BlockingQuery
  @Operation(
      operationId = "kvGet",
      summary = "Read a key, or keys under a prefix",
      description =
          "A key's entry; ?recurse every entry under the prefix, ?keys their names, ?raw the value itself. Reads may block (?index=&wait=).",
      parameters = {
        @Parameter(
            name = "recurse",
            in = ParameterIn.QUERY,
            description = "Every key under this prefix (present: on, any value, as Consul)",
            schema =
                @Schema(
                    types = "string",
                    description = "present: on, whatever its value (as Consul)")),
        @Parameter(
            name = "keys",
            in = ParameterIn.QUERY,
            description = "Only the names of the keys under this prefix",
            schema =
                @Schema(
                    types = "string",
                    description = "present: on, whatever its value (as Consul)")),
        @Parameter(
            name = "separator",
            in = ParameterIn.QUERY,
            description = "With keys: list names up to this separator",
            example = "/",
            schema = @Schema(types = "string")),
        @Parameter(
            name = "raw",
            in = ParameterIn.QUERY,
            description = "The value itself, not its entry",
            schema =
                @Schema(
                    types = "string",
                    description = "present: on, whatever its value (as Consul)")),
      },
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "The entries (with keys: their names; with raw: the value)",
            headers =
                @Header(
                    name = "X-Consul-Index",
                    description = "The index to block on next",
                    schema = @Schema(types = "string")),
            content = {
              @Content(
                  mediaType = "application/json",
                  array =
                      @ArraySchema(
                          schema =
                              @Schema(
                                  oneOf = {ConsulShapes.KvEntry.class, String.class},
                                  description = "An entry; with ?keys, a key's name"))),
              @Content(mediaType = "text/plain", schema = @Schema(types = "string")),
              @Content(
                  mediaType = "application/octet-stream",
                  schema = @Schema(types = "string", format = "binary"))
            }),
        @ApiResponse(
            responseCode = "404",
            description = "Nothing there: Consul's 404, without a body",
            headers =
                @Header(
                    name = "X-Consul-Index",
                    description = "The index to block on next",
                    schema = @Schema(types = "string")))
      })
  @GET
  @Path("/{key: .*}")
  public CompletionStage<Response> get(
      @Parameter(
              description = "The key (several segments as they are: config/hello/greeting)",
              example = "greeting",
              schema = @Schema(pattern = Patterns.KEY))
          @PathParam("key")
          String rawKey,
      @Context UriInfo uri,
      @Context SecurityContext security) {
    MultivaluedMap<String, String> query = uri.getQueryParameters();
    String key = Keys.check(rawKey, false);
    Blocks blocks = Blocks.of(query);
    Caller caller = Keys.caller(security);
    Blocking blocking = registry.blocking();
    if (query.containsKey("keys")) {
      String separator = query.getFirst("separator");
      return blocking
          .await(blocks.index(), blocks.maxWait(), () -> registry.range(key), Blocking.prefix(key))
          .thenApply(answer -> keys(answer, key, separator, caller));
    }
    if (query.containsKey("recurse")) {
      return blocking
          .await(blocks.index(), blocks.maxWait(), () -> registry.range(key), Blocking.prefix(key))
          .thenApply(answer -> entries(answer.index(), answer.body(), caller));
    }
    if (key.isEmpty()) {
      throw ApiException.badRequest(
          "INVALID_KEY", "Missing key name: name a key, or list with ?recurse or ?keys");
    }
    Keys.mayRead(caller, key);
    boolean raw = query.containsKey("raw");
    return blocking
        .await(blocks.index(), blocks.maxWait(), () -> registry.get(key), Blocking.key(key))
        .thenApply(
            answer -> {
              KvEntry entry = answer.body();
              if (entry == null) {
                return ConsulJson.notFound(answer.index());
              }
              if (raw) {
                return ConsulJson.headers(
                        Response.ok(entry.value() == null ? new byte[0] : entry.value()),
                        answer.index())
                    .type(contentType(entry.value()))
                    .build();
              }
              return entries(answer.index(), List.of(entry), caller);
            });
  }

  @Operation(
      operationId = "kvPut",
      summary = "Write a key",
      description =
          "The body is the value (at most registry.maxValueSize). true when written; false when a cas, acquire or release did not apply.",
      parameters = {
        @Parameter(
            name = "flags",
            in = ParameterIn.QUERY,
            description = "An unsigned 64-bit number kept with the key",
            schema = @Schema(types = "string", pattern = Patterns.INDEX)),
        @Parameter(
            name = "cas",
            in = ParameterIn.QUERY,
            description =
                "Write only if the key's ModifyIndex is this (0: only if it does not exist)",
            schema = @Schema(types = "string", pattern = Patterns.INDEX)),
        @Parameter(
            name = "acquire",
            in = ParameterIn.QUERY,
            description = "Lock the key with this session",
            schema = @Schema(types = "string")),
        @Parameter(
            name = "release",
            in = ParameterIn.QUERY,
            description = "Unlock the key held by this session",
            schema = @Schema(types = "string"))
      },
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "*/*",
                      schema = @Schema(types = "string", format = "binary"),
                      examples = @ExampleObject(value = "Hello from the registry"))),
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "Whether it was written",
            headers =
                @Header(
                    name = "X-Consul-Index",
                    description = "The index to block on next",
                    schema = @Schema(types = "string")),
            content =
                @Content(mediaType = "application/json", schema = @Schema(types = "boolean"))),
        @ApiResponse(responseCode = "413", ref = Contract.TOO_LARGE)
      })
  @PUT
  @Path("/{key: .*}")
  @Consumes(MediaType.WILDCARD)
  public CompletionStage<Response> put(
      @Parameter(
              description = "The key (several segments as they are: config/hello/greeting)",
              example = "greeting",
              schema = @Schema(pattern = Patterns.KEY))
          @PathParam("key")
          String rawKey,
      @Context UriInfo uri,
      @Context SecurityContext security,
      InputStream body)
      throws IOException {
    MultivaluedMap<String, String> query = uri.getQueryParameters();
    String key = Keys.check(rawKey, true);
    Keys.mayWrite(Keys.caller(security), key);
    Long flags = null;
    if (query.getFirst("flags") != null) {
      flags = parseUnsigned("flags", query.getFirst("flags"));
    }
    Verb verb = Verb.SET;
    Long cas = null;
    String session = null;
    // Consul's order: a release outranks an acquire, which outranks a cas.
    if (query.containsKey("cas")) {
      verb = Verb.CAS;
      cas = parseUnsigned("CAS index", query.getFirst("cas"));
    }
    if (nonEmpty(query.getFirst("acquire"))) {
      verb = Verb.LOCK;
      session = query.getFirst("acquire");
    }
    if (nonEmpty(query.getFirst("release"))) {
      verb = Verb.UNLOCK;
      session = query.getFirst("release");
    }
    byte[] value = read(body, maxValue);
    KvOp op = new KvOp(verb, key, value, flags, cas, session);
    return registry
        .txn(List.of(op))
        .thenApply(
            outcome -> {
              if (!outcome.ok() && outcome.errors().get(0).invalidSession()) {
                throw ApiException.badRequest(
                    "INVALID_SESSION",
                    "Invalid session \""
                        + op.session()
                        + "\": no such session (it expired, was destroyed, or never existed);"
                        + " create one with PUT /v1/session/create");
              }
              return ConsulJson.ok(BooleanNode.valueOf(outcome.ok()), outcome.index());
            });
  }

  @Operation(
      operationId = "kvDelete",
      summary = "Delete a key, or every key under a prefix",
      parameters = {
        @Parameter(
            name = "recurse",
            in = ParameterIn.QUERY,
            description = "Every key under this prefix",
            schema =
                @Schema(
                    types = "string",
                    description = "present: on, whatever its value (as Consul)")),
        @Parameter(
            name = "cas",
            in = ParameterIn.QUERY,
            description = "Delete only if the key's ModifyIndex is this",
            schema = @Schema(types = "string", pattern = Patterns.INDEX))
      },
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Whether it was deleted",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(mediaType = "application/json", schema = @Schema(types = "boolean"))))
  @DELETE
  @Path("/{key: .*}")
  public CompletionStage<Response> delete(
      @Parameter(
              description = "The key (several segments as they are: config/hello/greeting)",
              example = "greeting",
              schema = @Schema(pattern = Patterns.KEY))
          @PathParam("key")
          String rawKey,
      @Context UriInfo uri,
      @Context SecurityContext security) {
    MultivaluedMap<String, String> query = uri.getQueryParameters();
    boolean recurse = query.containsKey("recurse");
    String key = Keys.check(rawKey, !recurse);
    Keys.mayWrite(Keys.caller(security), key);
    // A malformed cas is refused even where recurse outranks it (Consul would ignore it).
    Long cas = query.containsKey("cas") ? parseUnsigned("CAS index", query.getFirst("cas")) : null;
    KvOp op;
    if (recurse) {
      op = new KvOp(Verb.DELETE_TREE, key, null, null, null, null);
    } else if (cas != null) {
      op = new KvOp(Verb.DELETE_CAS, key, null, null, cas, null);
    } else {
      op = new KvOp(Verb.DELETE, key, null, null, null, null);
    }
    return registry
        .txn(List.of(op))
        .thenApply(outcome -> ConsulJson.ok(BooleanNode.valueOf(outcome.ok()), outcome.index()));
  }

  private Response entries(long index, List<KvEntry> found, Caller caller) {
    ArrayNode out = json.createArrayNode();
    for (KvEntry entry : found) {
      if (Keys.readable(caller, entry.key())) {
        out.add(ConsulJson.entry(json, entry, true));
      }
    }
    return out.isEmpty() ? ConsulJson.notFound(index) : ConsulJson.ok(out, index);
  }

  private Response keys(
      Blocking.Answer<List<KvEntry>> answer, String prefix, String separator, Caller caller) {
    Set<String> names = new LinkedHashSet<>();
    for (KvEntry entry : answer.body()) {
      if (!Keys.readable(caller, entry.key())) {
        continue;
      }
      String name = entry.key();
      if (separator != null && !separator.isEmpty()) {
        int at = name.indexOf(separator, prefix.length());
        if (at >= 0) {
          name = name.substring(0, at + separator.length());
        }
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      return ConsulJson.notFound(answer.index());
    }
    ArrayNode out = json.createArrayNode();
    names.forEach(out::add);
    return ConsulJson.ok(out, answer.index());
  }

  /** A value of at most {@code max} bytes; more is refused with a 413 before anything is kept. */
  static byte[] read(InputStream body, long max) throws IOException {
    if (body == null) {
      return new byte[0];
    }
    byte[] value = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    if (value.length > max) {
      throw new ApiException(
          413,
          "VALUE_TOO_LARGE",
          "Request entity too large",
          "Value exceeds " + max + " byte limit (registry.maxValueSize); nothing was written",
          null);
    }
    return value;
  }

  static long parseUnsigned(String what, String text) {
    try {
      return Long.parseUnsignedLong(text == null ? "" : text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          "Invalid " + what + " \"" + text + "\": expected an unsigned 64-bit integer");
    }
  }

  private static boolean nonEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  static MediaType contentType(byte[] value) {
    if (value == null) {
      return MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8");
    }
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value));
      for (byte b : value) {
        if (b == 0) {
          return MediaType.APPLICATION_OCTET_STREAM_TYPE;
        }
      }
      return MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8");
    } catch (CharacterCodingException e) {
      return MediaType.APPLICATION_OCTET_STREAM_TYPE;
    }
  }
}
