package dev.cast.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.api.registry.AgentResource;
import dev.cast.api.registry.CatalogResource;
import dev.cast.api.registry.HealthResource;
import dev.cast.api.registry.KvResource;
import dev.cast.api.registry.SessionResource;
import dev.cast.api.registry.TxnResource;
import dev.cast.api.resources.AppsResource;
import dev.cast.api.resources.AuditResource;
import dev.cast.api.resources.ConfigWatchResource;
import dev.cast.api.resources.DeploymentsResource;
import dev.cast.api.resources.DistributionResource;
import dev.cast.api.resources.HostsResource;
import dev.cast.api.resources.OpenApiResource;
import dev.cast.api.resources.ServicesResource;
import dev.cast.api.resources.StagingResource;
import dev.cast.api.resources.TokensResource;
import dev.cast.api.resources.WhoAmIResource;
import dev.cast.bundle.NameRules;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContractTest {
  private static final Contract CONTRACT =
      Contract.of(
          Set.of(
              AppsResource.class,
              AuditResource.class,
              ConfigWatchResource.class,
              DeploymentsResource.class,
              DistributionResource.class,
              HostsResource.class,
              OpenApiResource.class,
              ServicesResource.class,
              TokensResource.class,
              StagingResource.class,
              WhoAmIResource.class,
              AgentResource.class,
              CatalogResource.class,
              HealthResource.class,
              KvResource.class,
              SessionResource.class,
              TxnResource.class),
          "test");

  @Test
  void isOpenApi31WithTheProblemType() throws Exception {
    String dump = System.getProperty("cast.contract.dump");
    if (dump != null) {
      Files.writeString(Path.of(dump), CONTRACT.json());
    }
    OpenAPI api = CONTRACT.openApi();
    assertThat(api.getOpenapi()).startsWith("3.1");
    assertThat(api.getComponents().getSchemas()).containsKey("Problem");
  }

  @Test
  void everyErrorAnswerIsAProblemOrAConsulShape() {
    OpenAPI api = CONTRACT.openApi();
    List<String> bad = new ArrayList<>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (verb, op) ->
                            op.getResponses()
                                .forEach(
                                    (code, response) -> {
                                      if (code.startsWith("4")
                                          && !problemOrText(api, response)
                                          && !consul(path)) {
                                        bad.add(verb + " " + path + " " + code);
                                      }
                                    })));
    assertThat(bad).isEmpty();
  }

  @Test
  void everyOperationHasASummary() {
    List<String> bare = new ArrayList<>();
    CONTRACT
        .openApi()
        .getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (verb, op) -> {
                          if (op.getSummary() == null || op.getSummary().isBlank()) {
                            bare.add(verb + " " + path);
                          }
                        }));
    assertThat(bare).isEmpty();
  }

  @Test
  void thePathPatternsAreTheNameRules() {
    assertThat(Patterns.APP).isEqualTo("^" + NameRules.APP.pattern() + "$");
    assertThat(Patterns.VERSION).isEqualTo("^" + NameRules.VERSION.pattern() + "$");
    assertThat(Patterns.SERVICE).isEqualTo("^" + NameRules.SERVICE.pattern() + "$");
    assertThat(Patterns.HOST).isEqualTo("^" + NameRules.HOST.pattern() + "$");
  }

  /** The registry answers in Consul's shapes, a transaction's 409 included. */
  private static boolean consul(String path) {
    return path.equals("/v1/txn");
  }

  private static boolean problemOrText(OpenAPI api, ApiResponse response) {
    ApiResponse r = response;
    if (r.get$ref() != null) {
      r =
          api.getComponents()
              .getResponses()
              .get(r.get$ref().substring(r.get$ref().lastIndexOf('/') + 1));
    }
    if (r.getContent() == null) {
      return r.getDescription() != null && r.getDescription().contains("Consul");
    }
    return r.getContent().keySet().stream()
        .allMatch(t -> t.equals("application/problem+json") || t.startsWith("text/plain"));
  }
}
