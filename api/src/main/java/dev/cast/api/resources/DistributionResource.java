package dev.cast.api.resources;

import dev.cast.api.auth.Public;
import dev.cast.api.core.Distribution;
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
public final class DistributionResource {
  private final Distribution distribution;

  public DistributionResource(Distribution distribution) {
    this.distribution = distribution;
  }

  /** Tracker announce: bencoded, and a bencoded {@code failure reason} for a foreign info-hash. */
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

  @GET
  @Public("the tracker's scrape, as announce: Cast's own info-hashes only")
  @Path("scrape")
  @Produces(MediaType.TEXT_PLAIN)
  public byte[] scrape(@Context HttpServletRequest request) {
    return distribution.scrape(request.getQueryString());
  }

  /** What the api itself sent, over BitTorrent and HTTP, and the swarms its tracker knows. */
  @GET
  @Path("v1/distribution")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> counters() {
    return distribution.counters();
  }
}
