package dev.cast.api.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.auth.RegistryApi;
import dev.cast.api.errors.ApiException;
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
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
  private final Catalog catalog;
  private final ObjectMapper json;

  public CatalogResource(Catalog catalog, ObjectMapper json) {
    this.catalog = catalog;
    this.json = json;
  }

  /** Every service's name and the tags its instances have. */
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
  @GET
  @Path("/service/{name}")
  public CompletionStage<Response> service(@PathParam("name") String name, @Context UriInfo uri) {
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
  @GET
  @Path("/nodes")
  public CompletionStage<Response> nodes(@Context UriInfo uri) {
    return CatalogReads.of(catalog, uri, CatalogSnapshot::nodesIndex)
        .thenApply(
            a -> Consul.read(a.index(), a.body().nodes().stream().map(CatalogJson::node).toList()));
  }

  /** Registers a service Cast did not deploy: {@code {Node, Address, Service: {...}}}. */
  @PUT
  @Path("/register")
  public Response register(@Context UriInfo uri, String body) {
    Consul.datacenter(uri.getQueryParameters());
    catalog.register(Registrations.catalog(Registrations.parse(json, body)));
    return Response.ok(true, MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** Removes a service registered from outside ({@code {Node, ServiceID}}) or its whole node. */
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
