package dev.cast.api.resources;

import dev.cast.api.auth.Caller;
import dev.cast.api.auth.Role;
import dev.cast.api.model.WhoAmIView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;

/**
 * {@code GET /v1/whoami}: the name, role and apps of the caller's token, for any role. A client
 * (the console) reads it after a login to show only what the token may do.
 */
@Path("/v1/whoami")
@Tag(name = "tokens")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

  @Operation(
      operationId = "whoami",
      summary = "The caller's token",
      description =
          "Its name, role, apps and expiry, for any role: a client shows only what the token may"
              + " do.")
  @GET
  public WhoAmIView whoami(@Context SecurityContext security) {
    if (security != null && security.getUserPrincipal() instanceof Caller caller) {
      return new WhoAmIView(
          caller.name(),
          caller.role().label(),
          caller.apps(),
          caller.expiresAt() == null ? null : Instant.ofEpochMilli(caller.expiresAt()).toString());
    }
    // No caller gets this far only with auth.enabled: false, where every call is allowed.
    return new WhoAmIView("anonymous", Role.ADMIN.label(), null, null);
  }
}
