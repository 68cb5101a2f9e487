package dev.cast.api.openapi;

import dev.cast.api.auth.AgentOnly;
import dev.cast.api.auth.BundleAccess;
import dev.cast.api.auth.Public;
import dev.cast.api.auth.RegistryApi;
import dev.cast.api.auth.Requires;
import dev.cast.api.auth.Role;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * Who may call a resource method, read from the same annotations {@code AuthFilter} and {@code
 * AgentTokenFilter} act on: the contract's security requirements and its {@code x-cast-role}.
 *
 * @param role what the README's table shows: public, agent, viewer, deployer, admin, or per key
 * @param schemes the alternative security schemes, none for a public endpoint
 */
record Access(String role, List<String> schemes) {
  static final String BEARER = "bearer";
  static final String AGENT = "agentToken";
  static final String CONSUL = "consulToken";
  static final String CAPABILITY = "bundleCapability";

  static Access of(Class<?> resource, Method method, String httpMethod) {
    if (method.isAnnotationPresent(Public.class)) {
      return new Access("public", List.of());
    }
    if (method.isAnnotationPresent(AgentOnly.class)
        || resource.isAnnotationPresent(AgentOnly.class)) {
      return new Access("agent", List.of(AGENT));
    }
    if (method.isAnnotationPresent(BundleAccess.class)) {
      return new Access("deployer, agent or capability", List.of(BEARER, AGENT, CAPABILITY));
    }
    RegistryApi registry = resource.getAnnotation(RegistryApi.class);
    Role role = role(method, httpMethod);
    if (registry != null) {
      return new Access(
          registry.keys() ? role.label() + " or a key grant" : role.label(),
          List.of(BEARER, CONSUL));
    }
    return new Access(role.label(), List.of(BEARER));
  }

  /** As {@code AuthFilter}: {@link Requires}, else viewer to read and deployer to change. */
  private static Role role(Method method, String httpMethod) {
    Requires requires = method.getAnnotation(Requires.class);
    if (requires != null) {
      return requires.value();
    }
    return httpMethod.equals("GET") || httpMethod.equals("HEAD") ? Role.VIEWER : Role.DEPLOYER;
  }

  boolean isPublic() {
    return schemes.isEmpty();
  }

  /** Checked against a user's role (an agent's token names its host instead). */
  boolean checksRole() {
    return schemes.contains(BEARER);
  }

  Map<String, Object> extension() {
    return Map.of("x-cast-role", role);
  }
}
