package dev.cast.api.registry;

import dev.cast.api.auth.RegistryApi;
import dev.cast.api.openapi.BlockingQuery;
import dev.cast.api.openapi.Datacenter;
import dev.cast.api.openapi.Patterns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Consul's health view: a service's instances with their node and checks (reads may block). */
@RegistryApi
@Path("/v1/health")
@Tag(name = "registry")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
  private final Catalog catalog;

  public HealthResource(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * A service's instances in Consul's ServiceEntry shape; {@code ?passing} keeps those whose every
   * check passes, {@code ?tag=} those with the tag (all of them, when repeated).
   */
  @BlockingQuery
  @Datacenter
  @Operation(
      operationId = "healthService",
      summary = "A service's instances with their checks",
      parameters = {
        @Parameter(
            name = "passing",
            in = ParameterIn.QUERY,
            description = "Only instances whose every check passes",
            schema = @Schema(types = "string", pattern = Patterns.CONSUL_FLAG)),
        @Parameter(
            name = "tag",
            in = ParameterIn.QUERY,
            description = "Only instances with this tag (all of them, repeated)",
            schema = @Schema(types = "string"))
      },
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Its instances (none: an empty list)",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      array =
                          @ArraySchema(
                              schema = @Schema(implementation = CatalogJson.ServiceEntry.class)))))
  @GET
  @Path("/service/{name}")
  public CompletionStage<Response> service(
      @Parameter(
              description = "A service: <app>-<service> for Cast's",
              example = "hello-web",
              schema = @Schema(pattern = Patterns.SEGMENT))
          @PathParam("name")
          String name,
      @Context UriInfo uri) {
    boolean passing = Consul.flag(uri.getQueryParameters(), "passing");
    List<String> tags = Consul.tags(uri.getQueryParameters());
    return CatalogReads.of(catalog, uri, s -> s.serviceIndex(name))
        .thenApply(
            a -> {
              List<CatalogJson.ServiceEntry> out = new ArrayList<>();
              for (CatalogSnapshot.Instance i : a.body().instances(name)) {
                if ((passing && !i.entry().passing()) || !i.entry().tags().containsAll(tags)) {
                  continue;
                }
                a.body()
                    .node(i.entry().node())
                    .ifPresent(n -> out.add(CatalogJson.serviceEntry(i, CatalogJson.node(n))));
              }
              return Consul.read(a.index(), out);
            });
  }
}
