package dev.cast.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

class ContractAnnotationsHiddenTest {
  @GET
  @Produces("application/json")
  @Operation(summary = "a described operation", responses = @ApiResponse(responseCode = "200"))
  void described() {}

  @GET
  @Produces("application/json")
  void plain() {}

  @Test
  void theContractsAnnotationsAreLeftOutAndTheRestKeptInOrder() throws Exception {
    Annotation[] all = getClass().getDeclaredMethod("described").getAnnotations();
    assertThat(all).hasSize(3);

    Annotation[] lean = ContractAnnotationsHidden.withoutContract(all);

    assertThat(lean)
        .extracting(Annotation::annotationType)
        .containsExactly(GET.class, Produces.class);
  }

  @Test
  void withoutTheContractsAnnotationsTheSameArrayIsHandedOn() throws Exception {
    Annotation[] all = getClass().getDeclaredMethod("plain").getAnnotations();

    assertThat(ContractAnnotationsHidden.withoutContract(all)).isSameAs(all);
    assertThat(ContractAnnotationsHidden.withoutContract(new Annotation[0])).isEmpty();
    assertThat(ContractAnnotationsHidden.withoutContract(null)).isNull();
  }
}
