package dev.cast.api.errors;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

  @Test
  void rendersTooManyRequestsWithRetryAfter() {
    Response response =
        new ProblemMappers.Api()
            .toResponse(ApiException.tooManyRequests("TOO_MANY_PUSHES", "busy; push again", 5));

    assertThat(response.getStatus()).isEqualTo(429);
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
    Problem problem = (Problem) response.getEntity();
    assertThat(problem.type()).isEqualTo("https://cast.dev/problems/TOO_MANY_PUSHES");
    assertThat(problem.title()).isEqualTo("Too many requests");
    assertThat(problem.detail()).isEqualTo("busy; push again");
  }

  @Test
  void rendersOtherProblemsWithoutRetryAfter() {
    Response response =
        new ProblemMappers.Api().toResponse(ApiException.badRequest("INVALID_BUNDLE", "bad"));

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getHeaderString("Retry-After")).isNull();
  }
}
