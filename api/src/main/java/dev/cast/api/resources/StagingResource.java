package dev.cast.api.resources;

import dev.cast.api.auth.AgentOnly;
import dev.cast.api.core.StagingBoard;
import dev.cast.api.db.HostDao;
import dev.cast.workflows.host.StagingReport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Agents report the releases they are fetching here while they stage them: a deployment's view
 * shows each host's progress, and the metrics count the bytes by sender.
 */
@Path("/v1/hosts/{name}/staging")
@Tag(name = "hosts")
public class StagingResource {
  private final HostDao hosts;
  private final StagingBoard board;

  public StagingResource(HostDao hosts, StagingBoard board) {
    this.hosts = hosts;
    this.board = board;
  }

  /** The releases the host is fetching now, and those that just ended (once, with done). */
  @Operation(
      operationId = "reportStaging",
      summary = "Report a host's fetches (agents)",
      description =
          "The releases the host is fetching now, and those that just ended (once, with done); a"
              + " deployment shows them as staging progress.",
      responses = @ApiResponse(responseCode = "204", description = "Stored"))
  @PUT
  @AgentOnly
  @Consumes(MediaType.APPLICATION_JSON)
  public Response report(@PathParam("name") String name, @NotNull List<StagingReport> reports) {
    HostsResource.registered(hosts, name);
    board.report(name, reports, System.currentTimeMillis());
    return Response.noContent().build();
  }
}
