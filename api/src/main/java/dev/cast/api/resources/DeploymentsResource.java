package dev.cast.api.resources;

import dev.cast.api.core.DeploymentService;
import dev.cast.api.model.DeploymentView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** One deployment or rollback, live while it runs. */
@Path("/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {
  private final DeploymentService deployments;

  public DeploymentsResource(DeploymentService deployments) {
    this.deployments = deployments;
  }

  @GET
  @Path("/{id}")
  public DeploymentView get(@PathParam("id") String id) {
    return deployments.view(id);
  }

  /** promote | pause | resume | cancel (cancel reverts what was switched). */
  @POST
  @Path("/{id}/{action: promote|pause|resume|cancel}")
  @Consumes(MediaType.WILDCARD)
  public Response act(@PathParam("id") String id, @PathParam("action") String action) {
    return Response.accepted(deployments.signal(id, action)).build();
  }
}
