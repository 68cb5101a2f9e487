package dev.cast.api.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.auth.Requires;
import dev.cast.api.auth.Role;
import dev.cast.api.db.AuditDao;
import dev.cast.api.db.AuditRow;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.AuditView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The audit log, for admins: {@code GET /v1/audit?app=&actor=&since=&limit=}, newest first. */
@Path("/v1/audit")
@Tag(name = "audit", description = "Who did what, for admins")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
  private final AuditDao audit;
  private final ObjectMapper json;

  public AuditResource(AuditDao audit, ObjectMapper json) {
    this.audit = audit;
    this.json = json;
  }

  @Operation(
      operationId = "readAudit",
      summary = "Read the audit log",
      description = "Every change, refused ones included, newest first.")
  @GET
  @Requires(Role.ADMIN)
  public List<AuditView> find(
      @Parameter(description = "Only this app's entries", example = "hello") @QueryParam("app")
          String app,
      @Parameter(description = "Only this token's entries, by name", example = "ci")
          @QueryParam("actor")
          String actor,
      @Parameter(
              description = "Only entries at or after this instant",
              example = "2026-12-01T00:00:00Z",
              schema = @Schema(format = "date-time"))
          @QueryParam("since")
          String since,
      @Parameter(
              description = "At most this many entries (default 100)",
              schema = @Schema(minimum = "1", maximum = "1000"))
          @QueryParam("limit")
          Integer limit) {
    Long from = null;
    if (since != null) {
      try {
        from = Instant.parse(since).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest(
            "INVALID_REQUEST",
            "since: \"" + since + "\" is not an instant such as 2026-12-01T00:00:00Z");
      }
    }
    int max = limit == null ? 100 : limit;
    if (max < 1 || max > 1000) {
      throw ApiException.badRequest("INVALID_REQUEST", "limit: " + max + " is outside 1 to 1000");
    }
    return audit.find(app, actor, from, max).stream().map(this::view).toList();
  }

  private AuditView view(AuditRow row) {
    try {
      return new AuditView(
          Instant.ofEpochMilli(row.at()).toString(),
          row.actor(),
          row.action(),
          row.path(),
          row.app(),
          row.params() == null ? null : json.readTree(row.params()),
          row.status(),
          row.source());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
