package dev.cast.api.resources;

import dev.cast.api.auth.Caller;
import dev.cast.api.auth.Requires;
import dev.cast.api.auth.Role;
import dev.cast.api.core.DeploymentService;
import dev.cast.api.core.LogProxy;
import dev.cast.api.core.ReleaseStore;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.db.ServiceStatusDao.ServiceStatusRow;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.ServiceControlBody;
import dev.cast.api.model.ServiceView;
import dev.cast.api.openapi.Contract;
import dev.cast.api.openapi.DeploymentAccepted;
import dev.cast.api.openapi.Patterns;
import dev.cast.workflows.host.ServiceStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Service management: start, stop, restart, enable, disable; state per host; logs. */
@Path("/v1/apps/{app}/services/{service}")
@Tag(name = "services", description = "A service of an app: operations, state, logs")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {
  /** The most lines a log request reads back from the end. */
  private static final int MAX_TAIL = 100_000;

  private static final Set<String> ACTIONS =
      Set.of("start", "stop", "restart", "enable", "disable");

  private final ReleaseStore releases;
  private final DeploymentService deployments;
  private final ServiceStatusDao statuses;
  private final LogProxy logs;

  public ServicesResource(
      ReleaseStore releases,
      DeploymentService deployments,
      ServiceStatusDao statuses,
      LogProxy logs) {
    this.releases = releases;
    this.deployments = deployments;
    this.statuses = statuses;
    this.logs = logs;
  }

  @DeploymentAccepted("Started")
  @Operation(
      operationId = "controlService",
      summary = "Start, stop, restart, enable or disable a service",
      description =
          "A rolling operation, one batch of hosts at a time, each batch healthy before the next.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = ServiceControlBody.class),
                      examples =
                          @ExampleObject(
                              value = "{\"maxParallel\": 2, \"reason\": \"new certificates\"}"))),
      responses = {
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "Start of a disabled service, or another deployment of the app runs")
      })
  @POST
  @Path("/{action}")
  @Consumes(MediaType.WILDCARD)
  public Response control(
      @PathParam("app") String app,
      @PathParam("service") String service,
      @Parameter(
              description = "What to do",
              schema = @Schema(allowableValues = {"start", "stop", "restart", "enable", "disable"}))
          @PathParam("action")
          String action,
      ServiceControlBody body,
      @Context SecurityContext who) {
    if (!ACTIONS.contains(action)) {
      throw ApiException.notFound(
          "UNKNOWN_ACTION",
          "no action \""
              + action
              + "\" for services (actions: start, stop, restart, enable, disable)");
    }
    DeploymentRow row = deployments.control(app, service, action, body, Caller.nameOf(who));
    return Response.accepted(deployments.view(row.id()))
        .location(URI.create("/v1/deployments/" + row.id()))
        .build();
  }

  @Operation(
      operationId = "getService",
      summary = "A service's state on each host",
      description = "running, stopped, failed or disabled; pid, uptime, restarts, health.")
  @GET
  public ServiceView status(@PathParam("app") String app, @PathParam("service") String service) {
    releases.requireApp(app);
    List<ServiceStatusRow> rows = statuses.forService(app, service);
    if (rows.isEmpty()) {
      throw ApiException.notFound(
          "SERVICE_NOT_FOUND", "no host reports a service \"" + service + "\" of " + app);
    }
    long now = System.currentTimeMillis();
    return new ServiceView(app, service, rows.stream().map(r -> view(r, now)).toList());
  }

  /** The service's log on one host: the last {@code tail} lines, then new ones with follow. */
  @Operation(
      operationId = "serviceLogs",
      summary = "A service's log on one host",
      description = "The last tail lines, then new ones as they come with follow=true.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The log, a line each",
              content = @Content(mediaType = "text/plain", schema = @Schema(types = "string"))))
  @GET
  @Requires(Role.DEPLOYER)
  @Path("/logs")
  @Produces(MediaType.TEXT_PLAIN)
  public Response logs(
      @PathParam("app") String app,
      @PathParam("service") String service,
      @Parameter(
              description = "The host; needed when the service runs on more than one",
              schema = @Schema(pattern = Patterns.HOST))
          @QueryParam("host")
          String host,
      @Parameter(
              description = "Lines from the end",
              schema = @Schema(minimum = "0", maximum = "100000"))
          @QueryParam("tail")
          @DefaultValue("100")
          int tail,
      @Parameter(description = "Keep streaming new lines", schema = @Schema(types = "boolean"))
          @QueryParam("follow")
          @DefaultValue("false")
          String followed) {
    if (tail < 0 || tail > MAX_TAIL) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "query parameter \"tail\": " + tail + " is outside 0 to " + MAX_TAIL);
    }
    // Strictly true or false: JAX-RS would read anything else ("yes", "null") as false.
    if (!followed.equals("true") && !followed.equals("false")) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          "query parameter \"follow\": \"" + followed + "\" is not true or false");
    }
    boolean follow = followed.equals("true");
    releases.requireApp(app);
    List<ServiceStatusRow> rows = statuses.forService(app, service);
    if (rows.isEmpty()) {
      throw ApiException.notFound(
          "SERVICE_NOT_FOUND", "no host reports a service \"" + service + "\" of " + app);
    }
    String target = host;
    if (target == null) {
      if (rows.size() > 1) {
        throw ApiException.badRequest(
            "INVALID_REQUEST",
            "query parameter \"host\" is required: "
                + service
                + " runs on "
                + rows.stream().map(r -> r.status().host()).toList());
      }
      target = rows.get(0).status().host();
    }
    String chosen = target;
    if (rows.stream().noneMatch(r -> r.status().host().equals(chosen))) {
      throw ApiException.notFound(
          "HOST_NOT_FOUND", "host \"" + chosen + "\" does not run " + app + "/" + service);
    }
    return Response.ok(logs.stream(chosen, app, service, tail, follow))
        .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
        .build();
  }

  private static ServiceView.HostService view(ServiceStatusRow row, long now) {
    ServiceStatus r = row.status();
    Long uptime =
        r.startedAt() == null || !r.state().equals("running")
            ? null
            : Duration.between(Instant.parse(r.startedAt()), Instant.ofEpochMilli(now)).toSeconds();
    return new ServiceView.HostService(
        r.host(),
        r.version(),
        r.state(),
        r.pid(),
        uptime,
        r.restarts(),
        r.health(),
        r.healthOutput(),
        r.healthSince(),
        r.enabled(),
        Instant.ofEpochMilli(row.reportedAt()).toString());
  }
}
