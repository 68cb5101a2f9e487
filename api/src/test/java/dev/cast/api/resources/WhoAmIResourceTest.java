package dev.cast.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.api.auth.Caller;
import dev.cast.api.auth.Role;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link WhoAmIResource}: the caller's token as the auth filter left it, or auth off. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WhoAmIResourceTest {
  private static final Caller CI =
      new Caller("t-1", "ci", Role.DEPLOYER, List.of("shop-*"), 1_800_000_000_000L);

  /** Stands in for the auth filter: a request with X-Caller: ci is the token above. */
  private static final ContainerRequestFilter SIGNED_IN =
      (ContainerRequestContext request) -> {
        if (!"ci".equals(request.getHeaderString("X-Caller"))) {
          return;
        }
        request.setSecurityContext(
            new SecurityContext() {
              @Override
              public Principal getUserPrincipal() {
                return CI;
              }

              @Override
              public boolean isUserInRole(String role) {
                return false;
              }

              @Override
              public boolean isSecure() {
                return false;
              }

              @Override
              public String getAuthenticationScheme() {
                return "Bearer";
              }
            });
      };

  static final ResourceExtension RESOURCES =
      ResourceExtension.builder().addResource(new WhoAmIResource()).addProvider(SIGNED_IN).build();

  @Test
  void answersTheTokensNameRoleAppsAndExpiry() {
    JsonNode who =
        RESOURCES.target("/v1/whoami").request().header("X-Caller", "ci").get(JsonNode.class);

    assertThat(who.path("name").asText()).isEqualTo("ci");
    assertThat(who.path("role").asText()).isEqualTo("deployer");
    assertThat(who.path("apps").toString()).isEqualTo("[\"shop-*\"]");
    assertThat(who.path("expiresAt").asText()).isEqualTo("2027-01-15T08:00:00Z");
  }

  @Test
  void withAuthOffEveryoneIsAnAnonymousAdmin() {
    JsonNode who = RESOURCES.target("/v1/whoami").request().get(JsonNode.class);

    assertThat(who.path("name").asText()).isEqualTo("anonymous");
    assertThat(who.path("role").asText()).isEqualTo("admin");
    assertThat(who.path("apps").isNull()).isTrue();
  }
}
