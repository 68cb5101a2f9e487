package dev.cast.api.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.auth.RegistryApi;
import dev.cast.api.errors.ApiException;
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
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {
  private final Catalog catalog;
  private final ObjectMapper json;

  public AgentResource(Catalog catalog, ObjectMapper json) {
    this.catalog = catalog;
    this.json = json;
  }

  /** {@code {ID, Name, Tags, Address, Port, Meta}}; an existing ID is replaced. */
  @PUT
  @Path("/register")
  public Response register(@Context UriInfo uri, String body) {
    String address = uri.getBaseUri().getHost();
    catalog.register(
        Registrations.agent(Registrations.parse(json, body), Catalog.AGENT_NODE, address));
    return Response.ok().build();
  }

  @PUT
  @Path("/deregister/{id}")
  public Response deregister(@PathParam("id") String id) {
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
