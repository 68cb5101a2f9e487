package dev.cast.api.resources;

import dev.cast.api.auth.BundleAccess;
import dev.cast.api.auth.Caller;
import dev.cast.api.core.AppCatalog;
import dev.cast.api.core.ByteRange;
import dev.cast.api.core.DeploymentService;
import dev.cast.api.core.Distribution;
import dev.cast.api.core.Names;
import dev.cast.api.core.ReleaseStore;
import dev.cast.api.core.ReleaseUrls;
import dev.cast.api.db.DeploymentRow;
import dev.cast.api.db.InstanceDao;
import dev.cast.api.db.ReleaseRow;
import dev.cast.api.errors.ApiException;
import dev.cast.api.errors.Problem;
import dev.cast.api.model.AppView;
import dev.cast.api.model.ConfigRolloutBody;
import dev.cast.api.model.DeployBody;
import dev.cast.api.model.DeploymentView;
import dev.cast.api.model.InstanceView;
import dev.cast.api.model.ReleaseView;
import dev.cast.api.model.RollbackBody;
import dev.cast.api.openapi.Contract;
import dev.cast.api.openapi.DeploymentAccepted;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Apps, their releases, deployments, rollbacks and instances. */
@Path("/v1/apps")
@Tag(name = "apps", description = "Apps, their releases, deployments and instances")
@Produces(MediaType.APPLICATION_JSON)
public class AppsResource {

  private final ReleaseStore releases;
  private final AppCatalog catalog;
  private final Distribution distribution;
  private final DeploymentService deployments;
  private final InstanceDao instances;

  public AppsResource(
      ReleaseStore releases,
      AppCatalog catalog,
      Distribution distribution,
      DeploymentService deployments,
      InstanceDao instances) {
    this.releases = releases;
    this.catalog = catalog;
    this.distribution = distribution;
    this.deployments = deployments;
    this.instances = instances;
  }

  @Operation(
      operationId = "listApps",
      summary = "List apps",
      description =
          "Every app with its releases (newest first) and the version current on each host.")
  @GET
  public List<AppView> apps(@Context UriInfo uri, @Context SecurityContext security) {
    return releases.apps().stream().map(app -> app(app, uri, security)).toList();
  }

  @Operation(
      operationId = "getApp",
      summary = "Get an app",
      description = "Its releases, newest first, and what is current and previous on each host.")
  @GET
  @Path("/{app}")
  public AppView app(
      @PathParam("app") String app, @Context UriInfo uri, @Context SecurityContext security) {
    releases.requireApp(app);
    List<AppView.HostCurrent> current =
        instances.current(app).stream()
            .map(c -> new AppView.HostCurrent(c.host(), c.version(), c.previousVersion()))
            .toList();
    return new AppView(app, releaseViews(app, uri, security), current);
  }

  @Operation(
      operationId = "pushRelease",
      summary = "Push a release",
      description =
          "The body is the bundle, a .tar.gz with cast.yml at its root. It is checked before it is kept.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "application/gzip",
                    schema = @Schema(types = "string", format = "binary")),
                @Content(
                    mediaType = "application/octet-stream",
                    schema = @Schema(types = "string", format = "binary"))
              }),
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "Kept: a new release",
            headers =
                @Header(
                    name = "Location",
                    description = "The release",
                    schema = @Schema(types = "string")),
            content =
                @Content(
                    mediaType = "application/json",
                    schema = @Schema(implementation = ReleaseView.class))),
        @ApiResponse(
            responseCode = "200",
            description = "The same bytes were pushed before",
            content =
                @Content(
                    mediaType = "application/json",
                    schema = @Schema(implementation = ReleaseView.class))),
        @ApiResponse(
            responseCode = "400",
            ref = Contract.BAD_REQUEST,
            description = "Not a valid bundle: not gzip or tar, no cast.yml, an unsafe path, …"),
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "The same version with other bytes"),
        @ApiResponse(responseCode = "413", ref = Contract.TOO_LARGE),
        @ApiResponse(responseCode = "429", ref = Contract.TOO_MANY)
      })
  /** Push a release: the body is the raw .tar.gz. */
  @POST
  @Path("/{app}/releases")
  @Consumes(MediaType.WILDCARD)
  public Response push(
      @PathParam("app") String app,
      InputStream body,
      @Context UriInfo uri,
      @Context SecurityContext who)
      throws IOException {
    ReleaseStore.Pushed pushed = catalog.push(app, body, who(who));
    ReleaseRow row = pushed.release();
    URI location = URI.create(ReleaseUrls.release(app, row.version()));
    return Response.status(pushed.created() ? 201 : 200)
        .location(location)
        .entity(view(row, uri, who))
        .build();
  }

  @Operation(
      operationId = "listReleases",
      summary = "List an app's releases",
      description = "Newest first.")
  @GET
  @Path("/{app}/releases")
  public List<ReleaseView> releaseList(
      @PathParam("app") String app, @Context UriInfo uri, @Context SecurityContext security) {
    releases.requireApp(app);
    return releaseViews(app, uri, security);
  }

  @Operation(operationId = "getRelease", summary = "Get a release")
  @GET
  @Path("/{app}/releases/{version}")
  public ReleaseView release(
      @PathParam("app") String app,
      @PathParam("version") String version,
      @Context UriInfo uri,
      @Context SecurityContext security) {
    releases.requireApp(app);
    return view(releases.require(app, Names.version(version)), uri, security);
  }

  /**
   * The bundle itself, as hosts fetch it: whole, or one byte range ({@code Range: bytes=a-b}) for a
   * BitTorrent web seed or a resumed download.
   */
  @Operation(
      operationId = "getBundle",
      summary = "Fetch a release's bundle",
      description =
          "Whole, or one byte range (Range: bytes=a-b) for a BitTorrent web seed or a resumed download.",
      parameters =
          @Parameter(
              name = "cap",
              in = ParameterIn.QUERY,
              description = "The release's signed capability, instead of a token",
              schema = @Schema(types = "string")),
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "The bundle",
            content =
                @Content(
                    mediaType = "application/gzip",
                    schema = @Schema(types = "string", format = "binary"))),
        @ApiResponse(
            responseCode = "206",
            description = "The range asked for",
            headers = @Header(name = "Content-Range", schema = @Schema(types = "string")),
            content =
                @Content(
                    mediaType = "application/gzip",
                    schema = @Schema(types = "string", format = "binary"))),
        @ApiResponse(
            responseCode = "416",
            description = "The range lies outside the bundle",
            headers = @Header(name = "Content-Range", schema = @Schema(types = "string")),
            content =
                @Content(
                    mediaType = "application/problem+json",
                    schema = @Schema(ref = Contract.PROBLEM)))
      })
  @GET
  @BundleAccess
  @Path("/{app}/releases/{version}/bundle")
  @Produces("application/gzip")
  public Response bundle(
      @PathParam("app") String app,
      @PathParam("version") String version,
      @Parameter(description = "One byte range", example = "bytes=0-1023") @HeaderParam("Range")
          String range) {
    releases.requireApp(app);
    ReleaseRow row = releases.require(app, Names.version(version));
    releases.requireIntact(row);
    Optional<ByteRange> wanted;
    try {
      wanted = ByteRange.parse(range, row.size());
    } catch (ByteRange.Unsatisfiable e) {
      // With a body: an empty error response goes through the container's error page, which
      // drops the headers.
      return Response.status(416)
          .type(Problem.MEDIA_TYPE)
          .entity(
              Problem.of(
                  416,
                  "RANGE_NOT_SATISFIABLE",
                  "Range not satisfiable",
                  range + " lies outside the bundle (" + row.size() + " bytes)"))
          .header("Content-Range", "bytes */" + row.size())
          .header("Accept-Ranges", "bytes")
          .build();
    }
    ByteRange slice = wanted.orElse(new ByteRange(0, row.size() - 1));
    Response.ResponseBuilder response =
        wanted.isPresent()
            ? Response.status(206).header("Content-Range", slice.contentRange(row.size()))
            : Response.ok();
    return response
        .entity(releases.bundleSlice(row.sha256(), slice))
        .header("Content-Length", slice.length())
        .header("Accept-Ranges", "bytes")
        .header("ETag", "\"" + row.sha256() + "\"")
        .build();
  }

  /**
   * The release's .torrent; its tracker and web seed are at the address this request reached the
   * api at.
   */
  @Operation(
      operationId = "getTorrent",
      summary = "Fetch a release's .torrent",
      description =
          "A v1 torrent whose tracker and web seed are at the address this request reached the api at;"
              + " the release's JSON has its infoHash and magnet too.",
      parameters =
          @Parameter(
              name = "cap",
              in = ParameterIn.QUERY,
              description = "The release's signed capability, instead of a token",
              schema = @Schema(types = "string")),
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The torrent",
              content =
                  @Content(
                      mediaType = "application/x-bittorrent",
                      schema = @Schema(types = "string", format = "binary"))))
  @GET
  @BundleAccess
  @Path("/{app}/releases/{version}/torrent")
  @Produces("application/x-bittorrent")
  public Response torrent(
      @PathParam("app") String app, @PathParam("version") String version, @Context UriInfo uri) {
    releases.requireApp(app);
    ReleaseRow row = releases.require(app, Names.version(version));
    releases.requireIntact(row);
    byte[] torrent =
        distribution
            .torrentFor(row, uri.getBaseUri().toString())
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "TORRENT_NOT_FOUND",
                        app + "@" + version + " has no torrent yet; fetch its bundle instead"));
    return Response.ok(torrent)
        .header(
            "Content-Disposition",
            "attachment; filename=\"" + app + "-" + row.version() + ".torrent\"")
        .build();
  }

  @DeploymentAccepted("Started")
  @Operation(
      operationId = "deploy",
      summary = "Deploy a release",
      description =
          "To the hosts named, those a selector picks, or every host not drained; in the strategy's batches.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = DeployBody.class),
                      examples =
                          @ExampleObject(
                              value =
                                  "{\"version\": \"2.0.0\", \"selector\": {\"role\": \"web\"}, \"strategy\": {\"canary\": 1, \"maxParallel\": 2, \"promote\": \"manual\"}, \"reason\": \"new checkout\"}"))),
      responses = {
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "Another deployment of the app runs")
      })
  @POST
  @Path("/{app}/deployments")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response deploy(
      @PathParam("app") String app, DeployBody body, @Context SecurityContext who) {
    return accepted(deployments.deploy(app, body, who(who)));
  }

  @Operation(
      operationId = "listDeployments",
      summary = "List an app's deployments",
      description = "Deployments, rollbacks, config rollouts and service operations, newest first.")
  @GET
  @Path("/{app}/deployments")
  public List<DeploymentView> deploymentList(@PathParam("app") String app) {
    return deployments.list(app);
  }

  @DeploymentAccepted("Started")
  @Operation(
      operationId = "rollback",
      summary = "Roll an app back",
      description =
          "By default every host running the app goes back to its own previous release (as its agent"
              + " reports it; a failed deploy never leaves its release as previous), all at once. 409"
              + " NOTHING_TO_ROLL_BACK when every host runs the target, NO_PREVIOUS_RELEASE when a host has"
              + " none.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = RollbackBody.class),
                      examples =
                          @ExampleObject(
                              value = "{\"version\": \"1.0.0\", \"reason\": \"2.0.0 is slow\"}"))),
      responses = {
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "Nothing to roll back, no previous release, or another deployment runs")
      })
  @POST
  @Path("/{app}/rollback")
  @Consumes(MediaType.WILDCARD)
  public Response rollback(
      @PathParam("app") String app, RollbackBody body, @Context SecurityContext who) {
    return accepted(deployments.rollback(app, body, who(who)));
  }

  @DeploymentAccepted("Started")
  @Operation(
      operationId = "rollOutConfig",
      summary = "Roll out an app's config",
      description =
          "Every host the app runs on renders its config again at the registry's current index.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = ConfigRolloutBody.class),
                      examples =
                          @ExampleObject(
                              value =
                                  "{\"reason\": \"new greeting\", \"strategy\": {\"maxParallel\": 2}}"))),
      responses = {
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description = "Another deployment of the app runs")
      })
  @POST
  @Path("/{app}/config-rollouts")
  @Consumes(MediaType.WILDCARD)
  public Response configRollout(
      @PathParam("app") String app, ConfigRolloutBody body, @Context SecurityContext who) {
    return accepted(deployments.configRollout(app, body, who(who)));
  }

  @Operation(
      operationId = "listInstances",
      summary = "Where an app answers",
      description = "Each service instance: host, address, ports, health.")
  @GET
  @Path("/{app}/instances")
  public List<InstanceView> instances(@PathParam("app") String app) {
    releases.requireApp(app);
    return catalog.instances(app);
  }

  private Response accepted(DeploymentRow row) {
    return Response.accepted(deployments.view(row.id()))
        .location(URI.create("/v1/deployments/" + row.id()))
        .build();
  }

  private static String who(SecurityContext security) {
    return Caller.nameOf(security);
  }

  private List<ReleaseView> releaseViews(String app, UriInfo uri, SecurityContext security) {
    return catalog.releases(app, uri.getBaseUri().toString(), mayFetch(security));
  }

  private ReleaseView view(ReleaseRow row, UriInfo uri, SecurityContext security) {
    return catalog.view(row, uri.getBaseUri().toString(), mayFetch(security));
  }

  /** Whether the caller could deploy, and so may see what fetches a bundle (auth off: anyone). */
  private static boolean mayFetch(SecurityContext security) {
    return security == null
        || security.getUserPrincipal() == null
        || security.isUserInRole("deployer");
  }
}
