package dev.cast.api.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.auth.RegistryApi;
import dev.cast.api.errors.ApiException;
import dev.cast.api.openapi.Patterns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Consul's agent API for services: the api is the agent, and the services registered here are on
 * its node, {@value Catalog#AGENT_NODE}, whose address is the one the first registration reached
 * the api at. Cast runs no checks for them.
 */
@RegistryApi
@Path("/v1/agent/service")
@Tag(name = "registry")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {
  private final Catalog catalog;
  private final ObjectMapper json;

  public AgentResource(Catalog catalog, ObjectMapper json) {
    this.catalog = catalog;
    this.json = json;
  }

  /** {@code {ID, Name, Tags, Address, Port, Meta}}; an existing ID is replaced. */
  @Operation(
      operationId = "agentRegister",
      summary = "Register a service on the api's own node",
      description = "An existing ID is replaced.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = ConsulShapes.ServiceRegistration.class),
                      examples =
                          @ExampleObject(
                              value =
                                  "{\"ID\": \"pg-main\", \"Name\": \"pg-main\", \"Address\": \"10.0.0.7\", \"Port\": 5432}"))),
      responses = @ApiResponse(responseCode = "200", description = "Registered"))
  @PUT
  @Path("/register")
  public Response register(@Context UriInfo uri, String body) {
    String address = uri.getBaseUri().getHost();
    catalog.register(
        Registrations.agent(Registrations.parse(json, body), Catalog.AGENT_NODE, address));
    return Response.ok().build();
  }

  @Operation(
      operationId = "agentDeregister",
      summary = "Deregister a service of the api's own node",
      responses = @ApiResponse(responseCode = "200", description = "Deregistered"))
  @PUT
  @Path("/deregister/{id}")
  public Response deregister(
      @Parameter(
              description = "The service's ID",
              example = "pg-main",
              schema = @Schema(pattern = Patterns.SEGMENT))
          @PathParam("id")
          String id) {
    if (!catalog.deregister(Catalog.AGENT_NODE, Registrations.serviceId(id))) {
      throw ApiException.notFound(
          "SERVICE_NOT_FOUND",
          "Unknown service ID \""
              + id
              + "\": no service of that ID was registered with PUT /v1/agent/service/register");
    }
    return Response.ok().build();
  }
}
