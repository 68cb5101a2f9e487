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

  @GET
  public List<AppView> apps(@Context UriInfo uri, @Context SecurityContext security) {
    return releases.apps().stream().map(app -> app(app, uri, security)).toList();
  }

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

  @GET
  @Path("/{app}/releases")
  public List<ReleaseView> releaseList(
      @PathParam("app") String app, @Context UriInfo uri, @Context SecurityContext security) {
    releases.requireApp(app);
    return releaseViews(app, uri, security);
  }

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
  @GET
  @BundleAccess
  @Path("/{app}/releases/{version}/bundle")
  @Produces("application/gzip")
  public Response bundle(
      @PathParam("app") String app,
      @PathParam("version") String version,
      @HeaderParam("Range") String range) {
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

  @POST
  @Path("/{app}/deployments")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response deploy(
      @PathParam("app") String app, DeployBody body, @Context SecurityContext who) {
    return accepted(deployments.deploy(app, body, who(who)));
  }

  @GET
  @Path("/{app}/deployments")
  public List<DeploymentView> deploymentList(@PathParam("app") String app) {
    return deployments.list(app);
  }

  @POST
  @Path("/{app}/rollback")
  @Consumes(MediaType.WILDCARD)
  public Response rollback(
      @PathParam("app") String app, RollbackBody body, @Context SecurityContext who) {
    return accepted(deployments.rollback(app, body, who(who)));
  }

  @POST
  @Path("/{app}/config-rollouts")
  @Consumes(MediaType.WILDCARD)
  public Response configRollout(
      @PathParam("app") String app, ConfigRolloutBody body, @Context SecurityContext who) {
    return accepted(deployments.configRollout(app, body, who(who)));
  }

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
