package dev.cast.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cast.api.auth.Caller;
import dev.cast.api.auth.RegistryApi;
import dev.cast.api.errors.ApiException;
import dev.cast.api.openapi.Contract;
import dev.cast.api.registry.KvOp.Verb;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Consul's {@code PUT /v1/txn}: up to 64 key/value operations applied atomically. 200 with {@code
 * Results}; 409 with {@code Errors} ({@code OpIndex}, {@code What}) and nothing applied.
 */
@Path("/v1/txn")
@Tag(name = "registry")
@RegistryApi(keys = true)
@Produces(MediaType.APPLICATION_JSON)
public final class TxnResource {
  public static final int MAX_OPS = 64;
  private static final Set<String> FIELDS =
      Set.of("Verb", "Key", "Value", "Flags", "Index", "Session", "Namespace", "Partition");

  private final Registry registry;
  private final ObjectMapper json;
  private final long maxValue;

  public TxnResource(Registry registry, ObjectMapper json, long maxValue) {
    this.registry = registry;
    this.json = json;
    this.maxValue = maxValue;
  }

  @Operation(
      operationId = "txn",
      summary = "Apply key operations atomically",
      description = "Up to 64 KV operations; all apply or none.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      array =
                          @ArraySchema(
                              schema = @Schema(implementation = ConsulShapes.TxnOp.class),
                              maxItems = 64),
                      examples =
                          @ExampleObject(
                              value =
                                  "[{\"KV\": {\"Verb\": \"set\", \"Key\": \"config/hello/greeting\", \"Value\": \"SGVsbG8=\"}}]"))),
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "Applied",
            headers =
                @Header(
                    name = "X-Consul-Index",
                    description = "The index to block on next",
                    schema = @Schema(types = "string")),
            content =
                @Content(
                    mediaType = "application/json",
                    schema = @Schema(implementation = ConsulShapes.TxnResults.class))),
        @ApiResponse(
            responseCode = "409",
            description = "Not applied: the Errors say why",
            content =
                @Content(
                    mediaType = "application/json",
                    schema = @Schema(implementation = ConsulShapes.TxnResults.class))),
        @ApiResponse(responseCode = "413", ref = Contract.TOO_LARGE)
      })
  @PUT
  @Consumes(MediaType.WILDCARD)
  public CompletionStage<Response> txn(InputStream body, @Context SecurityContext security)
      throws IOException {
    // Base64 grows a value by a third; 64 of them at the limit, and room for the rest.
    byte[] raw = KvResource.read(body, MAX_OPS * (maxValue * 4 / 3 + 4096));
    JsonNode tree;
    try {
      tree = json.readTree(raw);
    } catch (IOException e) {
      throw ApiException.badRequest(
          "INVALID_TXN", "Failed to parse body: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (tree == null || !tree.isArray()) {
      throw ApiException.badRequest(
          "INVALID_TXN",
          "Failed to parse body: expected a JSON array of operations such as"
              + " [{\"KV\": {\"Verb\": \"set\", \"Key\": \"k\", \"Value\": \"dg==\"}}]");
    }
    if (tree.size() > MAX_OPS) {
      throw new ApiException(
          413,
          "TXN_TOO_LARGE",
          "Request entity too large",
          "Transaction contains too many operations (" + tree.size() + " > " + MAX_OPS + ")",
          null);
    }
    Caller caller = Keys.caller(security);
    List<KvOp> ops = new ArrayList<>();
    for (int i = 0; i < tree.size(); i++) {
      ops.add(op(i, tree.get(i), caller));
    }
    return registry
        .txn(ops)
        .thenApply(
            outcome -> {
              ObjectNode out = json.createObjectNode();
              if (outcome.ok()) {
                ArrayNode results = out.putArray("Results");
                for (KvEntry entry : outcome.results()) {
                  results
                      .addObject()
                      .set("KV", ConsulJson.entry(json, entry, readsValue(ops, entry)));
                }
                out.putNull("Errors");
                return ConsulJson.ok(out, outcome.index());
              }
              out.putNull("Results");
              ArrayNode errors = out.putArray("Errors");
              for (Registry.OpError error : outcome.errors()) {
                errors.addObject().put("OpIndex", error.opIndex()).put("What", error.what());
              }
              return ConsulJson.headers(
                      Response.status(409).entity(out).type(MediaType.APPLICATION_JSON_TYPE),
                      outcome.index())
                  .build();
            });
  }

  /** Only {@code get} and {@code get-tree} return values, as in Consul. */
  private static boolean readsValue(List<KvOp> ops, KvEntry entry) {
    return ops.stream()
        .anyMatch(
            op ->
                (op.verb() == Verb.GET && op.key().equals(entry.key()))
                    || (op.verb() == Verb.GET_TREE && entry.key().startsWith(op.key())));
  }

  private KvOp op(int i, JsonNode node, Caller caller) {
    String where = "operation " + i;
    if (node == null || !node.isObject() || node.size() != 1 || !node.has("KV")) {
      String kind =
          node != null && node.isObject() && node.size() == 1 ? node.fieldNames().next() : null;
      throw ApiException.badRequest(
          "INVALID_TXN",
          where
              + ": "
              + (kind != null
                  ? "\""
                      + kind
                      + "\" operations are not supported; Cast's registry runs KV operations only"
                  : "expected {\"KV\": {\"Verb\": …, \"Key\": …}}"));
    }
    JsonNode kv = node.get("KV");
    if (!kv.isObject()) {
      throw ApiException.badRequest("INVALID_TXN", where + ": \"KV\" must be an object");
    }
    for (Iterator<String> names = kv.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ApiException.badRequest(
            "INVALID_TXN", where + ": unknown field \"" + name + "\"; expected one of " + FIELDS);
      }
    }
    Verb verb = Verb.parse(text(kv, "Verb"));
    if (verb == null) {
      throw ApiException.badRequest(
          "INVALID_TXN",
          where
              + ": unknown Verb \""
              + text(kv, "Verb")
              + "\"; use set, cas, lock, unlock, get, get-tree, check-index, check-session,"
              + " check-not-exists, delete, delete-tree or delete-cas");
    }
    boolean tree = verb == Verb.GET_TREE || verb == Verb.DELETE_TREE;
    String key;
    try {
      key = Keys.check(text(kv, "Key"), !tree);
    } catch (ApiException e) {
      throw ApiException.badRequest("INVALID_KEY", where + ": " + e.getMessage());
    }
    if (verb.writes()) {
      Keys.mayWrite(caller, key);
    } else {
      Keys.mayRead(caller, key);
    }
    byte[] value = null;
    if (kv.hasNonNull("Value")) {
      try {
        value = Base64.getDecoder().decode(kv.get("Value").asText());
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "INVALID_TXN", where + ": Value is not base64 (" + e.getMessage() + ")");
      }
      if (value.length > maxValue) {
        throw new ApiException(
            413,
            "VALUE_TOO_LARGE",
            "Request entity too large",
            where + ": Value exceeds " + maxValue + " byte limit; nothing was written",
            null);
      }
    }
    Long flags = number(kv, "Flags", where);
    Long index = number(kv, "Index", where);
    String session = text(kv, "Session");
    if ((verb == Verb.LOCK || verb == Verb.UNLOCK || verb == Verb.CHECK_SESSION)
        && (session == null || session.isEmpty())) {
      throw ApiException.badRequest(
          "INVALID_TXN", where + ": verb " + verb.label() + " needs a Session");
    }
    if (value == null
        && (verb == Verb.SET || verb == Verb.CAS || verb == Verb.LOCK || verb == Verb.UNLOCK)) {
      value = new byte[0];
    }
    return new KvOp(verb, key, value, flags, index, session);
  }

  private static String text(JsonNode kv, String field) {
    JsonNode v = kv.get(field);
    if (v != null && !v.isNull() && !v.isTextual()) {
      // "Key": false is not the key "false": Consul's decoder refuses it too.
      throw ApiException.badRequest(
          "INVALID_TXN", "operation: " + field + " must be a string, not " + v);
    }
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Long number(JsonNode kv, String field, String where) {
    JsonNode v = kv.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()
        && v.bigIntegerValue().signum() >= 0
        && v.bigIntegerValue().bitLength() <= 64) {
      return v.bigIntegerValue().longValue();
    }
    throw ApiException.badRequest(
        "INVALID_TXN", where + ": " + field + " must be an unsigned 64-bit integer, not " + v);
  }
}
