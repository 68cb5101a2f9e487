package dev.cast.api.resources;

import dev.cast.api.auth.AgentOnly;
import dev.cast.api.auth.HostTokens;
import dev.cast.api.auth.Joinable;
import dev.cast.api.auth.Requires;
import dev.cast.api.auth.Role;
import dev.cast.api.core.HostReports;
import dev.cast.api.core.Names;
import dev.cast.api.db.HostDao;
import dev.cast.api.db.HostRow;
import dev.cast.api.db.ServiceStatusDao;
import dev.cast.api.errors.ApiException;
import dev.cast.api.model.AppReport;
import dev.cast.api.model.HostRegistration;
import dev.cast.api.model.HostView;
import dev.cast.api.openapi.Contract;
import dev.cast.workflows.host.ServiceStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Hosts: agents register and heartbeat here. */
@Path("/v1/hosts")
@Tag(name = "hosts", description = "Hosts: agents register and report here")
@Produces(MediaType.APPLICATION_JSON)
public class HostsResource {
  /** A host whose agent has not been heard from for this long is shown as down. */
  private final long downAfterMillis;

  private final HostDao hosts;
  private final ServiceStatusDao statuses;
  private final HostReports reports;
  private final HostTokens hostTokens;
  private final Runnable changed;

  /**
   * @param changed told after what a host reports is stored (the registry's catalog reads it)
   */
  public HostsResource(
      HostDao hosts,
      ServiceStatusDao statuses,
      HostReports reports,
      HostTokens hostTokens,
      Duration downAfter,
      Runnable changed) {
    this.hostTokens = hostTokens;
    this.changed = changed;
    this.downAfterMillis = downAfter.toMillis();
    this.hosts = hosts;
    this.statuses = statuses;
    this.reports = reports;
  }

  @Operation(
      operationId = "listHosts",
      summary = "List hosts",
      description =
          "up, or down after agents.downAfter (30 s) without a heartbeat; labels, facts, and the free"
              + " space of the agent's data dir as of its last heartbeat.")
  @GET
  public List<HostView> list() {
    long now = System.currentTimeMillis();
    return hosts.list().stream().map(h -> view(h, now)).toList();
  }

  @Operation(operationId = "getHost", summary = "Get a host")
  @GET
  @Path("/{name}")
  public HostView get(@PathParam("name") String name) {
    return hosts
        .find(Names.host(name))
        .map(h -> view(h, System.currentTimeMillis()))
        .orElseThrow(
            () -> ApiException.notFound("HOST_NOT_FOUND", "no host named \"" + name + "\""));
  }

  /** Drains a host: it keeps running what it runs but takes no new deploys. */
  @Operation(
      operationId = "drainHost",
      summary = "Drain a host",
      description = "It keeps running what it runs but takes no new deploys.")
  @POST
  @Requires(Role.ADMIN)
  @Path("/{name}/drain")
  public HostView drain(@PathParam("name") String name) {
    return setDrained(name, true);
  }

  @Operation(operationId = "undrainHost", summary = "Undrain a host")
  @POST
  @Requires(Role.ADMIN)
  @Path("/{name}/undrain")
  public HostView undrain(@PathParam("name") String name) {
    return setDrained(name, false);
  }

  /** Forgets a host (its agent registers it again if it still runs). */
  @Operation(
      operationId = "removeHost",
      summary = "Remove a host",
      description = "Forgets it and revokes its token; its agent may register it again.",
      responses = @ApiResponse(responseCode = "204", description = "Removed"))
  @DELETE
  @Requires(Role.ADMIN)
  @Path("/{name}")
  public Response remove(@PathParam("name") String name) {
    if (!hosts.delete(Names.host(name))) {
      throw unknown(name);
    }
    hostTokens.revoke(name);
    changed.run();
    return Response.noContent().build();
  }

  private HostView setDrained(String name, boolean drained) {
    if (!hosts.setDrained(Names.host(name), drained)) {
      throw unknown(name);
    }
    return get(name);
  }

  private static ApiException unknown(String name) {
    return ApiException.notFound("HOST_NOT_FOUND", "no host named \"" + name + "\"");
  }

  @Operation(
      operationId = "registerHost",
      summary = "Register or heartbeat a host (agents)",
      description =
          "With the host's own token; the agent token registers a new host and gets its token in Cast-Host-Token.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "Registered",
            useReturnTypeSchema = true,
            headers =
                @Header(
                    name = "Cast-Host-Token",
                    description = "The new host's own token, on its first registration",
                    schema = @Schema(types = "string"))),
        @ApiResponse(
            responseCode = "409",
            ref = Contract.CONFLICT,
            description =
                "The host has a token of its own: the agent token cannot register it again")
      })
  /** Registration and heartbeat of an agent. */
  @PUT
  @AgentOnly
  @Joinable
  @Path("/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public HostView register(
      @PathParam("name") String name, @NotNull @Valid HostRegistration registration) {
    long now = System.currentTimeMillis();
    hosts.upsert(
        Names.host(name),
        registration.address(),
        registration.agentVersion(),
        registration.logsUrl(),
        registration.labels() == null ? Map.of() : registration.labels(),
        registration.facts() == null ? Map.of() : registration.facts(),
        now);
    changed.run();
    return view(hosts.find(name).orElseThrow(), now);
  }

  /** An agent's full report of its supervised services (sent on change and with heartbeats). */
  @Operation(
      operationId = "reportServices",
      summary = "Report a host's services (agents)",
      responses = @ApiResponse(responseCode = "204", description = "Stored"))
  @PUT
  @AgentOnly
  @Path("/{name}/services")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response report(@PathParam("name") String name, @NotNull List<ServiceStatus> reports) {
    registered(hosts, name);
    statuses.replace(name, reports, System.currentTimeMillis());
    changed.run();
    return Response.noContent().build();
  }

  /**
   * An agent's report of what it has of each app: its {@code current} and {@code previous} links,
   * its releases, its current services' ports. The catalog follows it (sent with heartbeats and
   * after every activity).
   */
  @Operation(
      operationId = "reportApps",
      summary = "Report a host's apps (agents)",
      description = "What current and previous point at for each app; the catalog follows it.",
      responses = @ApiResponse(responseCode = "204", description = "Stored"))
  @PUT
  @AgentOnly
  @Path("/{name}/apps")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response reportApps(@PathParam("name") String name, @NotNull List<AppReport> apps) {
    HostRow host = registered(hosts, name);
    reports.apps(name, host.address(), apps);
    changed.run();
    return Response.noContent().build();
  }

  /** The host an agent reports for (404 HOST_NOT_FOUND until it registered). */
  static HostRow registered(HostDao hosts, String name) {
    return hosts
        .find(Names.host(name))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "HOST_NOT_FOUND",
                    "no host named \""
                        + name
                        + "\"; register it first (PUT /v1/hosts/"
                        + name
                        + ")"));
  }

  /** A host as the api shows it; {@code freeDiskBytes} is the one in its agent's facts. */
  private HostView view(HostRow h, long now) {
    Object free = h.facts() == null ? null : h.facts().get("freeDiskBytes");
    return new HostView(
        h.name(),
        h.address(),
        now - h.lastSeenAt() < downAfterMillis ? "up" : "down",
        h.drained(),
        h.agentVersion(),
        Instant.ofEpochMilli(h.registeredAt()).toString(),
        Instant.ofEpochMilli(h.lastSeenAt()).toString(),
        h.labels(),
        free instanceof Number n ? n.longValue() : null,
        h.facts());
  }
}
