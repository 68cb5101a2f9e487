package dev.cast.api.resources;

import dev.cast.api.auth.Caller;
import dev.cast.api.core.DeploymentConfigs;
import dev.cast.api.core.DeploymentService;
import dev.cast.api.model.ConfigView;
import dev.cast.api.model.DeploymentView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;

/** One deployment or rollback, live while it runs. */
@Path("/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {
  private final DeploymentService deployments;
  private final DeploymentConfigs configs;

  public DeploymentsResource(DeploymentService deployments, DeploymentConfigs configs) {
    this.deployments = deployments;
    this.configs = configs;
  }

  @GET
  @Path("/{id}")
  public DeploymentView get(@PathParam("id") String id) {
    return deployments.view(id);
  }

  /** The config files each host rendered from the release's templates, secrets masked. */
  @GET
  @Path("/{id}/config")
  public ConfigView config(@PathParam("id") String id) {
    return configs.view(id);
  }

  /** promote | pause | cancel (cancel reverts what was switched). */
  @POST
  @Path("/{id}/{action: promote|pause|cancel}")
  @Consumes(MediaType.WILDCARD)
  public Response act(@PathParam("id") String id, @PathParam("action") String action) {
    return Response.accepted(deployments.signal(id, action)).build();
  }

  /**
   * A paused deploy goes on; an INTERRUPTED one starts again as a new deployment, which the answer
   * shows and {@code Location} names.
   */
  @POST
  @Path("/{id}/resume")
  @Consumes(MediaType.WILDCARD)
  public Response resume(@PathParam("id") String id, @Context SecurityContext who) {
    return accepted(deployments.resume(id, Caller.nameOf(who)));
  }

  /**
   * Puts the hosts an INTERRUPTED deployment switched back: the rollback that does it, or the
   * deployment itself when no host had switched.
   */
  @POST
  @Path("/{id}/revert")
  @Consumes(MediaType.WILDCARD)
  public Response revert(@PathParam("id") String id, @Context SecurityContext who) {
    return accepted(deployments.revert(id, Caller.nameOf(who)));
  }

  private static Response accepted(DeploymentView view) {
    return Response.accepted(view).location(URI.create("/v1/deployments/" + view.id())).build();
  }
}
