package dev.cast.api.resources;

import dev.cast.api.auth.Caller;
import dev.cast.api.auth.KvGrant;
import dev.cast.api.auth.Requires;
import dev.cast.api.auth.Role;
import dev.cast.api.auth.Tokens;
import dev.cast.api.db.TokenRow;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.TokenBody;
import dev.cast.api.model.TokenView;
import io.dropwizard.util.Duration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** Users' tokens: admins make, list and revoke them. */
@Path("/v1/tokens")
@Tag(name = "tokens", description = "Users' tokens, for admins")
@Produces(MediaType.APPLICATION_JSON)
public class TokensResource {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  private static final Pattern APP_GLOB = Pattern.compile("[a-z0-9*][a-z0-9*-]{0,62}");

  private final Tokens tokens;

  public TokensResource(Tokens tokens) {
    this.tokens = tokens;
  }

  /** Makes a token; its secret is in this answer and nowhere else. */
  @Operation(
      operationId = "createToken",
      summary = "Make a token",
      description =
          "Its secret is in this answer and nowhere else. apps limits it to apps (names or globs), kv"
              + " to registry key prefixes (read or write; such a token reaches the registry only).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = TokenBody.class),
                      examples =
                          @ExampleObject(
                              value =
                                  "{\"name\": \"ci\", \"role\": \"deployer\", \"apps\": [\"hello\", \"shop-*\"], \"expiresIn\": \"90d\"}"))),
      responses =
          @ApiResponse(
              responseCode = "201",
              description = "Made, with its secret",
              headers = @Header(name = "Location", schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = TokenView.class))))
  @POST
  @Requires(Role.ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(TokenBody body, @Context SecurityContext security) {
    if (body == null || body.name() == null || !NAME.matcher(body.name()).matches()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          "field \"name\": give the token a name of letters, digits and . _ @ -, at most 64,"
              + " e.g. {\"name\": \"ci\", \"role\": \"deployer\"}");
    }
    Role role = body.role() == null ? null : Role.parse(body.role());
    if (role == null) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          "field \"role\": "
              + (body.role() == null ? "missing" : "\"" + body.role() + "\"")
              + "; use viewer, deployer or admin");
    }
    if (body.apps() != null) {
      if (body.apps().isEmpty() || body.apps().size() > 100) {
        throw ApiException.badRequest(
            "INVALID_REQUEST", "field \"apps\": give 1 to 100 app names or globs, or leave it out");
      }
      for (String app : body.apps()) {
        if (app == null || !APP_GLOB.matcher(app).matches()) {
          throw ApiException.badRequest(
              "INVALID_REQUEST",
              "field \"apps\": \"" + app + "\" is not an app name or glob such as \"shop-*\"");
        }
      }
    }
    if (body.kv() != null) {
      if (body.kv().isEmpty() || body.kv().size() > 100) {
        throw ApiException.badRequest(
            "INVALID_REQUEST",
            "field \"kv\": give 1 to 100 grants such as {\"prefix\": \"config/hello/\","
                + " \"access\": \"read\"}, or leave it out");
      }
      for (KvGrant grant : body.kv()) {
        if (grant == null
            || grant.prefix() == null
            || grant.prefix().length() > 512
            || grant.prefix().chars().anyMatch(c -> c < 0x20 || c == 0x7f)
            || !("read".equals(grant.access()) || "write".equals(grant.access()))) {
          throw ApiException.badRequest(
              "INVALID_REQUEST",
              "field \"kv\": "
                  + grant
                  + " is not a grant; each needs a \"prefix\" (up to 512 printable characters,"
                  + " \"\" for the whole store) and \"access\": \"read\" or \"write\"");
        }
      }
    }
    Long expiresAt = null;
    if (body.expiresIn() != null) {
      long millis;
      try {
        millis = Duration.parse(body.expiresIn()).toMilliseconds();
      } catch (RuntimeException e) {
        millis = -1;
      }
      if (millis < 60_000 || millis > 3650L * 24 * 3600 * 1000) {
        throw ApiException.badRequest(
            "INVALID_REQUEST",
            "field \"expiresIn\": \""
                + body.expiresIn()
                + "\" is not a duration from 1m to 3650d,"
                + " e.g. \"90d\"");
      }
      expiresAt = System.currentTimeMillis() + millis;
    }
    Tokens.Created created =
        tokens.create(
            body.name(), role, body.apps(), expiresAt, Caller.nameOf(security), body.kv());
    return Response.created(URI.create("/v1/tokens/" + created.row().id()))
        .entity(view(created.row(), created.secret()))
        .build();
  }

  @Operation(
      operationId = "listTokens",
      summary = "List tokens",
      description = "Without their secrets.")
  @GET
  @Requires(Role.ADMIN)
  public List<TokenView> list() {
    return tokens.list().stream().map(row -> view(row, null)).toList();
  }

  /** Revokes a token at once: the next request with it is refused. */
  @Operation(
      operationId = "revokeToken",
      summary = "Revoke a token",
      description = "At once: the next request with it is refused.",
      responses = @ApiResponse(responseCode = "204", description = "Revoked"))
  @DELETE
  @Requires(Role.ADMIN)
  @Path("/{id}")
  public Response revoke(@PathParam("id") String id) {
    if (tokens.find(id).isEmpty()) {
      throw ApiException.notFound("TOKEN_NOT_FOUND", "no token " + id);
    }
    tokens.revoke(id);
    return Response.noContent().build();
  }

  private TokenView view(TokenRow row, String secret) {
    return new TokenView(
        row.id(),
        row.name(),
        row.role(),
        row.apps(),
        Instant.ofEpochMilli(row.createdAt()).toString(),
        row.createdBy(),
        row.expiresAt() == null ? null : Instant.ofEpochMilli(row.expiresAt()).toString(),
        row.revokedAt() == null ? null : Instant.ofEpochMilli(row.revokedAt()).toString(),
        secret,
        row.kv());
  }
}
