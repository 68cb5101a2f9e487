package dev.cast.api.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.auth.RegistryApi;
import dev.cast.api.errors.ApiException;
import dev.cast.api.openapi.BlockingQuery;
import dev.cast.api.openapi.Contract;
import dev.cast.api.openapi.Datacenter;
import dev.cast.api.openapi.Patterns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * Consul's catalog: the services and nodes (every read may block, {@code ?index=&wait=}), and the
 * registration of services Cast did not deploy.
 */
@RegistryApi
@Path("/v1/catalog")
@Tag(name = "registry")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
  private final Catalog catalog;
  private final ObjectMapper json;

  public CatalogResource(Catalog catalog, ObjectMapper json) {
    this.catalog = catalog;
    this.json = json;
  }

  /** Every service's name and the tags its instances have. */
  @BlockingQuery
  @Datacenter
  @Operation(
      operationId = "catalogServices",
      summary = "Every service and its tags",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Service names and their tags",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              types = "object",
                              example = "{\"hello-web\": [\"web\", \"version=1.0.0\"]}"),
                      additionalPropertiesArraySchema =
                          @ArraySchema(schema = @Schema(types = "string")))))
  @GET
  @Path("/services")
  public CompletionStage<Response> services(@Context UriInfo uri) {
    return CatalogReads.of(catalog, uri, CatalogSnapshot::index)
        .thenApply(
            a -> {
              Map<String, List<String>> services = new TreeMap<>();
              a.body()
                  .services()
                  .forEach(
                      (name, instances) -> {
                        Set<String> tags = new LinkedHashSet<>();
                        instances.forEach(i -> tags.addAll(i.entry().tags()));
                        services.put(name, List.copyOf(tags));
                      });
              return Consul.read(a.index(), services);
            });
  }

  /** A service's instances, in Consul's CatalogService shape; {@code ?tag=} keeps those tagged. */
  @BlockingQuery
  @Datacenter
  @Operation(
      operationId = "catalogService",
      summary = "A service's instances",
      parameters = {
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
                              schema =
                                  @Schema(implementation = CatalogJson.CatalogService.class)))))
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
    List<String> tags = Consul.tags(uri.getQueryParameters());
    return CatalogReads.of(catalog, uri, s -> s.serviceIndex(name))
        .thenApply(
            a -> {
              List<CatalogJson.CatalogService> out = new ArrayList<>();
              for (CatalogSnapshot.Instance i : a.body().instances(name)) {
                if (i.entry().tags().containsAll(tags)) {
                  Map<String, String> nodeMeta =
                      a.body().node(i.entry().node()).map(n -> n.node().meta()).orElse(Map.of());
                  out.add(CatalogJson.catalogService(i, nodeMeta));
                }
              }
              return Consul.read(a.index(), out);
            });
  }

  /** Every node: Cast's hosts and the nodes of services registered from outside. */
  @BlockingQuery
  @Datacenter
  @Operation(
      operationId = "catalogNodes",
      summary = "Every node",
      description = "Cast's hosts and the nodes of services registered from outside.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The nodes",
              headers =
                  @Header(
                      name = "X-Consul-Index",
                      description = "The index to block on next",
                      schema = @Schema(types = "string")),
              content =
                  @Content(
                      mediaType = "application/json",
                      array =
                          @ArraySchema(schema = @Schema(implementation = CatalogJson.Node.class)))))
  @GET
  @Path("/nodes")
  public CompletionStage<Response> nodes(@Context UriInfo uri) {
    return CatalogReads.of(catalog, uri, CatalogSnapshot::nodesIndex)
        .thenApply(
            a -> Consul.read(a.index(), a.body().nodes().stream().map(CatalogJson::node).toList()));
  }

  /** Registers a service Cast did not deploy: {@code {Node, Address, Service: {...}}}. */
  @Datacenter
  @Operation(
      operationId = "catalogRegister",
      summary = "Register a service Cast did not deploy",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = ConsulShapes.CatalogRegistration.class),
                      examples =
                          @ExampleObject(
                              value =
                                  "{\"Node\": \"db-1\", \"Address\": \"10.0.0.7\", \"Service\": {\"Service\": \"pg-main\", \"Port\": 5432}}"))),
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Registered",
              content =
                  @Content(mediaType = "application/json", schema = @Schema(types = "boolean"))))
  @PUT
  @Path("/register")
  public Response register(@Context UriInfo uri, String body) {
    Consul.datacenter(uri.getQueryParameters());
    catalog.register(Registrations.catalog(Registrations.parse(json, body)));
    return Response.ok(true, MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** Removes a service registered from outside ({@code {Node, ServiceID}}) or its whole node. */
  @Datacenter
  @Operation(
      operationId = "catalogDeregister",
      summary = "Deregister a service or node registered from outside",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = ConsulShapes.CatalogDeregistration.class),
                      examples =
                          @ExampleObject(
                              value = "{\"Node\": \"db-1\", \"ServiceID\": \"pg-main\"}"))),
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "Deregistered",
            content =
                @Content(mediaType = "application/json", schema = @Schema(types = "boolean"))),
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "The node is a Cast host")
      })
  @PUT
  @Path("/deregister")
  public Response deregister(@Context UriInfo uri, String body) {
    Consul.datacenter(uri.getQueryParameters());
    Registrations.Deregistration d = Registrations.deregistration(Registrations.parse(json, body));
    if (catalog.isHost(d.node())) {
      throw ApiException.conflict(
          "NODE_IS_A_HOST",
          "node \""
              + d.node()
              + "\" is a Cast host: its services leave the catalog when Cast stops them or its"
              + " agent stops reporting; only services registered from outside can be"
              + " deregistered");
    }
    if (!d.checkOnly()) {
      catalog.deregister(d.node(), d.serviceId());
    }
    return Response.ok(true, MediaType.APPLICATION_JSON_TYPE).build();
  }
}
