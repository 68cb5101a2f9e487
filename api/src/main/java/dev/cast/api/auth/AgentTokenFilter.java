package dev.cast.api.auth;

import dev.cast.api.errors.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Agents' endpoints: each takes the host's own token, bound to the {@code {name}} it acts for, so
 * an agent reports only for its own host. The join token (the agent token: {@code agents.token} or
 * {@code <dataDir>/agent-token}) reaches only registration ({@link Joinable}), and only for a host
 * that has no token of its own yet; a successful one answers with the host's token in {@code
 * Cast-Host-Token}. Removing the host revokes its token, and the join token may register it again.
 */
@AgentOnly
@Priority(Priorities.AUTHENTICATION)
public final class AgentTokenFilter implements ContainerRequestFilter, ContainerResponseFilter {
  public static final String HOST_TOKEN_HEADER = "Cast-Host-Token";
  private static final String BEARER = "Bearer ";
  private static final String JOINED = "cast.joined";

  @Context private ResourceInfo resource;

  private final byte[] joinToken;
  private final HostTokens hosts;

  public AgentTokenFilter(String joinToken, HostTokens hosts) {
    this.joinToken = joinToken.getBytes(StandardCharsets.UTF_8);
    this.hosts = hosts;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String secret =
        header != null && header.startsWith(BEARER) ? header.substring(BEARER.length()) : null;
    String host = request.getUriInfo().getPathParameters().getFirst("name");
    if (hosts.matches(host, secret)) {
      return;
    }
    boolean join =
        secret != null && MessageDigest.isEqual(joinToken, secret.getBytes(StandardCharsets.UTF_8));
    boolean joinable =
        resource != null
            && resource.getResourceMethod() != null
            && resource.getResourceMethod().isAnnotationPresent(Joinable.class);
    if (join && joinable) {
      if (host != null && hosts.issued(host)) {
        request.abortWith(
            problem(
                409,
                "HOST_REGISTERED",
                "Conflict",
                "host "
                    + host
                    + " is registered with a token of its own; its agent keeps it in"
                    + " <dataDir>/host-token. To register it anew with the join token, remove it"
                    + " first: DELETE /v1/hosts/"
                    + host
                    + " (admin)",
                request));
        return;
      }
      request.setProperty(JOINED, host);
      return;
    }
    request.abortWith(
        problem(
            401,
            "AGENT_TOKEN_REQUIRED",
            "Unauthorized",
            join
                ? "the join token only registers a host (PUT /v1/hosts/{name}); then send the"
                    + " host's own token, which registration answers with"
                : "this endpoint is for host agents: send Authorization: Bearer <the host's own"
                    + " token>, or register with the join token (the agent token: agents.token in"
                    + " the server's config; --token or token: for the agent)",
            request));
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object host = request.getProperty(JOINED);
    if (host instanceof String name && response.getStatus() / 100 == 2) {
      response.getHeaders().putSingle(HOST_TOKEN_HEADER, hosts.issue(name));
    }
  }

  private static Response problem(
      int status, String type, String title, String detail, ContainerRequestContext request) {
    return Problem.of(status, type, title, detail)
        .withInstance("/" + request.getUriInfo().getPath())
        .response()
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }
}
