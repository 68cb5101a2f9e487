package dev.cast.api.auth;

import dev.cast.api.errors.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Refuses agent endpoints without {@code Authorization: Bearer <agent token>}. */
@AgentOnly
@Priority(Priorities.AUTHENTICATION)
public final class AgentTokenFilter implements ContainerRequestFilter {
  private static final String BEARER = "Bearer ";
  private final byte[] token;

  public AgentTokenFilter(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    boolean ok =
        header != null
            && header.startsWith(BEARER)
            && MessageDigest.isEqual(
                token, header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      request.abortWith(
          Problem.of(
                  401,
                  "AGENT_TOKEN_REQUIRED",
                  "Unauthorized",
                  "this endpoint is for host agents: send Authorization: Bearer <agent token>"
                      + " (agents.token in the server's config; --token or token: for the agent)")
              .withInstance("/" + request.getUriInfo().getPath())
              .response()
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
              .build());
    }
  }
}
