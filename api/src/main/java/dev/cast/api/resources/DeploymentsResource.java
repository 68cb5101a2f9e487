package dev.cast.api.resources;

import dev.cast.api.auth.Caller;
import dev.cast.api.core.DeploymentConfigs;
import dev.cast.api.core.DeploymentService;
import dev.cast.api.model.ConfigView;
import dev.cast.api.model.DeploymentView;
import dev.cast.api.openapi.Contract;
import dev.cast.api.openapi.DeploymentAccepted;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.List;

/** One deployment or rollback, live while it runs. */
@Path("/v1/deployments")
@Tag(
    name = "deployments",
    description = "One deployment, rollback, config rollout or service operation")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {
  private final DeploymentService deployments;
  private final DeploymentConfigs configs;

  public DeploymentsResource(DeploymentService deployments, DeploymentConfigs configs) {
    this.deployments = deployments;
    this.configs = configs;
  }

  @Operation(
      operationId = "listAllDeployments",
      summary = "List deployments",
      description =
          "Of every app the token reaches, newest first: deployments, rollbacks, config rollouts and"
              + " service operations, as recorded (GET /v1/deployments/{id} for the live view).")
  @GET
  public List<DeploymentView> list(
      @Parameter(description = "Only this app's", example = "hello") @QueryParam("app") String app,
      @Parameter(
              description = "Only those in this state",
              schema =
                  @Schema(
                      allowableValues = {
                        "PENDING",
                        "RUNNING",
                        "SUCCEEDED",
                        "FAILED",
                        "ROLLED_BACK",
                        "CANCELLED",
                        "INTERRUPTED"
                      }))
          @QueryParam("state")
          String state,
      @Parameter(
              description = "At most this many",
              schema = @Schema(minimum = "1", maximum = "1000", defaultValue = "100"))
          @QueryParam("limit")
          @DefaultValue("100")
          int limit,
      @Context SecurityContext security) {
    return deployments.listAll(
        app,
        state,
        limit,
        app1 ->
            !(security != null && security.getUserPrincipal() instanceof Caller caller)
                || caller.reaches(app1));
  }

  @Operation(
      operationId = "getDeployment",
      summary = "Get a deployment",
      description =
          "Live from its workflow while it runs, from the catalog after: state, cause, each host's"
              + " state, phase and batch, who and why, the workflow (and its Temporal UI page when Cast knows"
              + " one), follows and endedBy for a resumed or reverted one.")
  @GET
  @Path("/{id}")
  public DeploymentView get(@PathParam("id") String id) {
    return deployments.view(id);
  }

  /** The config files each host rendered from the release's templates, secrets masked. */
  @Operation(
      operationId = "getDeploymentConfig",
      summary = "The config a deployment rendered",
      description = "Each host's files, from the release's templates, secrets masked.")
  @GET
  @Path("/{id}/config")
  public ConfigView config(@PathParam("id") String id) {
    return configs.view(id);
  }

  @DeploymentAccepted("Signalled")
  @Operation(
      operationId = "steerDeployment",
      summary = "Promote, pause or cancel a deployment",
      description =
          "The gates of a running deploy or config rollout: promote the canary, pause between batches, or"
              + " cancel, which reverts every switched host and ends it CANCELLED.",
      responses = {
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "The deployment is over or not of a kind that takes this")
      })
  /** promote | pause | cancel (cancel reverts what was switched). */
  @POST
  @Path("/{id}/{action: promote|pause|cancel}")
  @Consumes(MediaType.WILDCARD)
  public Response act(
      @PathParam("id") String id,
      @Parameter(
              description = "What to do",
              schema = @Schema(allowableValues = {"promote", "pause", "cancel"}))
          @PathParam("action")
          String action) {
    return Response.accepted(deployments.signal(id, action)).build();
  }

  @DeploymentAccepted("Resumed, or started again")
  @Operation(
      operationId = "resumeDeployment",
      summary = "Resume a paused or INTERRUPTED deployment",
      description =
          "A paused deploy goes on. An INTERRUPTED one starts again (release, hosts, strategy, health"
              + " deadline) as a new deployment that follows it, which Location names; hosts it had switched"
              + " keep their services and only pass their checks again, and the old one gets endedBy.",
      responses = {
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "Not paused or INTERRUPTED, already ended, or superseded")
      })
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

  @DeploymentAccepted("The rollback, or the deployment itself when no host had switched")
  @Operation(
      operationId = "revertDeployment",
      summary = "Revert an INTERRUPTED deployment",
      description =
          "Only an INTERRUPTED deploy or rollback: rolls the hosts it switched back to their previous"
              + " release (a rollback that follows it, which Location names); with none switched it just ends"
              + " it. 409 NOT_INTERRUPTED, ALREADY_ENDED, or SUPERSEDED once a newer deployment started.",
      responses = {
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "Not INTERRUPTED, already ended, or superseded")
      })
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
