package dev.cast.api.registry;

import dev.cast.api.auth.RegistryApi;
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
  @GET
  @Path("/service/{name}")
  public CompletionStage<Response> service(@PathParam("name") String name, @Context UriInfo uri) {
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
