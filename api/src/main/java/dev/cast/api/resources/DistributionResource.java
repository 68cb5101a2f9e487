package dev.cast.api.resources;

import dev.cast.api.auth.Public;
import dev.cast.api.core.Distribution;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * BitTorrent distribution of bundles: the private tracker (BEP 3 announce, BEP 48 scrape) and the
 * api's own upload counters.
 */
@Path("/")
@Tag(name = "distribution", description = "BitTorrent distribution of bundles")
public final class DistributionResource {
  private final Distribution distribution;

  public DistributionResource(Distribution distribution) {
    this.distribution = distribution;
  }

  /** Tracker announce: bencoded, and a bencoded {@code failure reason} for a foreign info-hash. */
  @Operation(
      operationId = "announce",
      summary = "BitTorrent tracker announce",
      description =
          "BEP 3; the query is a BitTorrent client's (info_hash, peer_id, port, …). Bencoded; a failure reason for an info-hash Cast did not make.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Bencoded",
              content =
                  @Content(
                      mediaType = "text/plain",
                      schema = @Schema(types = "string", format = "binary"))))
  @GET
  @Public(
      "the tracker: BitTorrent clients (libtorrent, Transmission) announce without a token; it"
          + " serves Cast's own info-hashes only")
  @Path("announce")
  @Produces(MediaType.TEXT_PLAIN)
  public byte[] announce(@Context HttpServletRequest request) throws UnknownHostException {
    return distribution.announce(
        request.getQueryString(),
        InetAddress.getByName(request.getRemoteAddr()),
        InetAddress.getByName(request.getLocalAddr()));
  }

  @Operation(
      operationId = "scrape",
      summary = "BitTorrent tracker scrape",
      description = "BEP 48, for Cast's own info-hashes only.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Bencoded",
              content =
                  @Content(
                      mediaType = "text/plain",
                      schema = @Schema(types = "string", format = "binary"))))
  @GET
  @Public("the tracker's scrape, as announce: Cast's own info-hashes only")
  @Path("scrape")
  @Produces(MediaType.TEXT_PLAIN)
  public byte[] scrape(@Context HttpServletRequest request) {
    return distribution.scrape(request.getQueryString());
  }

  /** What the api itself sent, over BitTorrent and HTTP, and the swarms its tracker knows. */
  @Operation(
      operationId = "distributionCounters",
      summary = "What the api sent",
      description = "Bytes sent by its seeder and over HTTP, and the swarms its tracker knows.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "Counters",
              content =
                  @Content(mediaType = "application/json", schema = @Schema(types = "object"))))
  @GET
  @Path("v1/distribution")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> counters() {
    return distribution.counters();
  }
}
