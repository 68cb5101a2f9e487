package dev.cast.api.auth;

import dev.cast.api.errors.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Every REST call needs {@code Authorization: Bearer <token>}, except agents' own endpoints (the
 * agent token, {@link AgentTokenFilter}) and the few marked {@link Public}. No token, or an
 * unknown, revoked or expired one: 401. A token whose role or apps do not reach the endpoint: 403.
 * Both name what is missing. Reads need {@code viewer}, changes {@code deployer}, and {@link
 * Requires} says where it is more. A host's own token also reads the registry (GET and HEAD on
 * {@link RegistryApi} resources), as the viewer {@code host:<name>}: its agent renders config
 * templates from it.
 */
@Priority(Priorities.AUTHENTICATION + 1)
public final class AuthFilter implements ContainerRequestFilter {
  /** The request property holding the {@link Caller}. */
  public static final String CALLER = "cast.caller";

  private static final String BEARER = "Bearer ";

  @Context private ResourceInfo resource;

  private final Tokens tokens;
  private final HostTokens hostTokens;
  private final BundleCaps caps;
  private final byte[] agentToken;
  private final Function<String, Optional<String>> appOfDeployment;
  private final boolean enabled;

  public AuthFilter(
      Tokens tokens,
      HostTokens hostTokens,
      BundleCaps caps,
      String agentToken,
      Function<String, Optional<String>> appOfDeployment,
      boolean enabled) {
    this.tokens = tokens;
    this.hostTokens = hostTokens;
    this.caps = caps;
    this.agentToken = agentToken.getBytes(StandardCharsets.UTF_8);
    this.appOfDeployment = appOfDeployment;
    this.enabled = enabled;
  }

  /**
   * What an endpoint's annotations say, read once per resource method (reflection on every request
   * was most of what the check cost).
   */
  private record Rule(
      boolean open, boolean bundle, Requires requires, boolean registry, boolean keys) {
    static Rule of(Method method, Class<?> resourceClass) {
      RegistryApi registry = resourceClass.getAnnotation(RegistryApi.class);
      return new Rule(
          method.isAnnotationPresent(AgentOnly.class)
              || resourceClass.isAnnotationPresent(AgentOnly.class)
              || method.isAnnotationPresent(Public.class),
          method.isAnnotationPresent(BundleAccess.class),
          method.getAnnotation(Requires.class),
          registry != null,
          registry != null && registry.keys());
    }
  }

  private final Map<Method, Rule> rules = new ConcurrentHashMap<>();

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resource == null ? null : resource.getResourceMethod();
    if (method == null) {
      return;
    }
    Class<?> resourceClass = resource.getResourceClass();
    Rule rule = rules.computeIfAbsent(method, m -> Rule.of(m, resourceClass));
    if (rule.open()) {
      return;
    }
    boolean bundle = rule.bundle();
    if (!enabled && !bundle) {
      return;
    }
    String app = app(request);
    if (bundle && (agentCalls(request) || capability(request, app))) {
      return;
    }
    if (!enabled) {
      return;
    }
    String secret =
        secret(
            request::getHeaderString,
            name -> request.getUriInfo().getQueryParameters().getFirst(name),
            rule.registry());
    Optional<Caller> caller = secret == null ? Optional.empty() : tokens.authenticate(secret);
    if (caller.isEmpty() && secret != null && rule.registry() && reads(request)) {
      caller = hostTokens.hostOf(secret).map(Caller::host);
    }
    if (caller.isEmpty()) {
      request.abortWith(
          Problem.of(
                  401,
                  "TOKEN_REQUIRED",
                  "Unauthorized",
                  secret == null
                      ? "a token is required: send Authorization: Bearer <token> (the first admin"
                          + " token is in the server's <dataDir>/admin-token)"
                      : "the token is unknown, revoked or expired; ask an admin for a new one"
                          + " (POST /v1/tokens)")
              .withInstance("/" + request.getUriInfo().getPath())
              .response()
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
              .build());
      return;
    }
    Caller who = caller.get();
    request.setProperty(CALLER, who); // a refusal below is audited under the caller's name
    Role needed = needed(rule.requires(), request.getMethod(), bundle);
    if (who.kv() != null && !rule.registry()) {
      forbid(
          request,
          "token \""
              + who.name()
              + "\" is limited to registry keys "
              + who.kv().stream().map(KvGrant::prefix).toList()
              + " and reaches nothing else");
      return;
    }
    // Where the resource decides key by key, it checks the role itself.
    if (!rule.keys() && !who.role().includes(needed)) {
      forbid(
          request,
          needed.label()
              + " role required"
              + (app == null ? "" : " for app " + app)
              + "; token \""
              + who.name()
              + "\" is a "
              + who.role().label());
      return;
    }
    if (!who.reaches(app)) {
      forbid(
          request,
          "token \""
              + who.name()
              + "\" is limited to apps "
              + who.apps()
              + " and cannot reach app "
              + app);
      return;
    }
    SecurityContext original = request.getSecurityContext();
    request.setSecurityContext(
        new SecurityContext() {
          @Override
          public Principal getUserPrincipal() {
            return who;
          }

          @Override
          public boolean isUserInRole(String role) {
            Role asked = Role.parse(role);
            return asked != null && who.role().includes(asked);
          }

          @Override
          public boolean isSecure() {
            return original != null && original.isSecure();
          }

          @Override
          public String getAuthenticationScheme() {
            return "Bearer";
          }
        });
  }

  private static boolean reads(ContainerRequestContext request) {
    return request.getMethod().equals(HttpMethod.GET)
        || request.getMethod().equals(HttpMethod.HEAD);
  }

  /** The role an endpoint needs: its {@link Requires}, else viewer to read, deployer to change. */
  private static Role needed(Requires requires, String httpMethod, boolean bundle) {
    if (requires != null) {
      return requires.value();
    }
    if (bundle) {
      return Role.DEPLOYER;
    }
    return httpMethod.equals(HttpMethod.GET) || httpMethod.equals(HttpMethod.HEAD)
        ? Role.VIEWER
        : Role.DEPLOYER;
  }

  private void forbid(ContainerRequestContext request, String detail) {
    request.abortWith(
        Problem.of(403, "FORBIDDEN", "Forbidden", detail)
            .withInstance("/" + request.getUriInfo().getPath())
            .response()
            .build());
  }

  /** The app a request is about: its {@code {app}}, or the app of its deployment {@code {id}}. */
  private String app(ContainerRequestContext request) {
    var params = request.getUriInfo().getPathParameters();
    String app = params.getFirst("app");
    if (app != null) {
      return app;
    }
    String id = params.getFirst("id");
    return id == null ? null : appOfDeployment.apply(id).orElse(null);
  }

  private boolean agentCalls(ContainerRequestContext request) {
    String secret = bearer(request);
    return secret != null
        && MessageDigest.isEqual(agentToken, secret.getBytes(StandardCharsets.UTF_8));
  }

  private boolean capability(ContainerRequestContext request, String app) {
    var uri = request.getUriInfo();
    return caps.valid(
        uri.getQueryParameters().getFirst("cap"), app, uri.getPathParameters().getFirst("version"));
  }

  /**
   * The token a request carries: {@code Authorization: Bearer}, and on registry resources also as
   * Consul's clients send it ({@code X-Consul-Token}, {@code ?token=}); null when none.
   */
  public static String secret(
      Function<String, String> header, Function<String, String> query, boolean registry) {
    String secret = bearer(header.apply(HttpHeaders.AUTHORIZATION));
    if (secret != null || !registry) {
      return secret;
    }
    String consul = header.apply("X-Consul-Token");
    if (consul == null || consul.isBlank()) {
      consul = query.apply("token");
    }
    return consul == null || consul.isBlank() ? null : consul.trim();
  }

  private static String bearer(ContainerRequestContext request) {
    return bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
  }

  private static String bearer(String header) {
    if (header == null || !header.startsWith(BEARER)) {
      return null;
    }
    String secret = header.substring(BEARER.length()).trim();
    return secret.isEmpty() ? null : secret;
  }
}
