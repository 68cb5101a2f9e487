package dev.cast.api.resources;

import dev.cast.api.auth.Caller;
import dev.cast.api.core.ConfigWatch;
import dev.cast.api.core.ReleaseStore;
import dev.cast.api.model.WatchBody;
import dev.cast.api.model.WatchView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "apps")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigWatchResource {
  private final ReleaseStore releases;
  private final ConfigWatch watch;

  public ConfigWatchResource(ReleaseStore releases, ConfigWatch watch) {
    this.releases = releases;
    this.watch = watch;
  }

  @Operation(
      operationId = "getConfigWatch",
      summary = "An app's config watch",
      description =
          "Whether a change of what its templates read starts a config rollout, and what they read.")
  @GET
  public WatchView get(@PathParam("app") String app) {
    releases.requireApp(app);
    return watch.view(app);
  }

  @Operation(
      operationId = "setConfigWatch",
      summary = "Turn an app's config watch on or off",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = WatchBody.class),
                      examples =
                          @ExampleObject(
                              value =
                                  "{\"enabled\": true, \"wait\": {\"min\": \"2s\", \"max\": \"10s\"}}"))))
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public WatchView put(
      @PathParam("app") String app, WatchBody body, @Context SecurityContext security) {
    releases.requireApp(app);
    return watch.put(app, body, Caller.nameOf(security));
  }
}
