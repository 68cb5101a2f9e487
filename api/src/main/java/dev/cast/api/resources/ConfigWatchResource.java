package dev.cast.api.resources;

import dev.cast.api.auth.Caller;
import dev.cast.api.core.ConfigWatch;
import dev.cast.api.core.ReleaseStore;
import dev.cast.api.model.WatchBody;
import dev.cast.api.model.WatchView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** An app's config watch: config rolled out by itself when what its templates read changes. */
@Path("/v1/apps/{app}/config-watch")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigWatchResource {
  private final ReleaseStore releases;
  private final ConfigWatch watch;

  public ConfigWatchResource(ReleaseStore releases, ConfigWatch watch) {
    this.releases = releases;
    this.watch = watch;
  }

  @GET
  public WatchView get(@PathParam("app") String app) {
    releases.requireApp(app);
    return watch.view(app);
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public WatchView put(
      @PathParam("app") String app, WatchBody body, @Context SecurityContext security) {
    releases.requireApp(app);
    return watch.put(app, body, Caller.nameOf(security));
  }
}
