package dev.cast.torrent;

import dev.cast.torrent.TrackedSwarm.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A private BitTorrent HTTP tracker (BEP 3 announce, BEP 23 compact peers, BEP 7 IPv6 peers, BEP 48
 * scrape) without an HTTP server: the caller routes a request's raw query string here and writes
 * the returned bencoded bytes as the response body ({@code text/plain}, status 200, also for a
 * failure reason, as BEP 3 wants).
 *
 * <p>It is private to Cast's own releases: only info-hashes passed to {@link #allow(String)} are
 * tracked, and an announce for any other gets a {@code failure reason}. Peers are kept in memory;
 * one that has not announced for three intervals is dropped. A peer never gets itself back (same
 * {@code peer_id}), and a seeder gets only leechers. Thread-safe.
 *
 * <p>Serve it at a path ending in {@value #ANNOUNCE_PATH}: libtorrent's SSRF mitigation refuses a
 * tracker on a loopback address whose path ends otherwise, and clients derive the scrape URL by
 * replacing {@code announce} with {@code scrape} ({@value #SCRAPE_PATH}).
 */
public final class Tracker {
  /** The path clients expect the announce endpoint at. */
  public static final String ANNOUNCE_PATH = "/announce";

  /** The scrape path clients derive from {@link #ANNOUNCE_PATH}. */
  public static final String SCRAPE_PATH = "/scrape";

  /** The default re-announce interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private static final int DEFAULT_NUMWANT = 50;
  private static final int MAX_NUMWANT = 200;
  private static final int PEER_ID_LENGTH = 20;

  private final Duration interval;
  private final Duration minInterval;
  private final Duration expiry;
  private final Clock clock;
  private final Map<String, TrackedSwarm> swarms = new ConcurrentHashMap<>();

  /**
   * Peer counts of one torrent.
   *
   * @param seeders peers that announced {@code left=0}
   * @param leechers peers still downloading
   * @param completed how many downloads reported {@code event=completed} since {@link #allow}
   */
  public record SwarmStats(int seeders, int leechers, long completed) {}

  /** A tracker that asks clients to re-announce every {@link #DEFAULT_INTERVAL}. */
  public Tracker() {
    this(DEFAULT_INTERVAL, Clock.systemUTC());
  }

  /**
   * A tracker with its own re-announce interval (the {@code min interval} is a third of it) and
   * clock; peers expire after three intervals without an announce.
   */
  public Tracker(Duration interval, Clock clock) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the interval must be positive");
    }
    this.interval = interval;
    this.minInterval = interval.dividedBy(3);
    this.expiry = interval.multipliedBy(3);
    this.clock = clock;
  }

  /** Starts tracking a torrent (40 hex digits, either case); no-op if it is tracked already. */
  public void allow(String infoHash) {
    swarms.computeIfAbsent(normalize(infoHash), h -> new TrackedSwarm());
  }

  /** Stops tracking a torrent and forgets its peers; later announces for it fail. */
  public void forget(String infoHash) {
    swarms.remove(normalize(infoHash));
  }

  /** Whether {@link #allow} was called for this info-hash and {@link #forget} was not since. */
  public boolean isAllowed(String infoHash) {
    return swarms.containsKey(normalize(infoHash));
  }

  /** The tracked info-hashes (lower-case hex). */
  public Set<String> allowed() {
    return Set.copyOf(swarms.keySet());
  }

  /** The peer counts of one tracked torrent, or empty when it is not tracked. */
  public Optional<SwarmStats> stats(String infoHash) {
    TrackedSwarm swarm = swarms.get(normalize(infoHash));
    return swarm == null ? Optional.empty() : Optional.of(swarm.stats(clock.instant(), expiry));
  }

  /** The peer counts of every tracked torrent, by info-hash. */
  public Map<String, SwarmStats> stats() {
    Instant now = clock.instant();
    Map<String, SwarmStats> all = new TreeMap<>();
    swarms.forEach((hash, swarm) -> all.put(hash, swarm.stats(now, expiry)));
    return all;
  }

  /**
   * Answers a BEP 3 announce.
   *
   * @param rawQuery the request's query string exactly as received, still percent-encoded (for
   *     example {@code URI.getRawQuery()}): {@code info_hash} and {@code peer_id} are raw bytes, so
   *     the query must not have been decoded as UTF-8 first
   * @param remote the address the request came from; the peer's address unless it sends a literal
   *     {@code ip}
   * @return the bencoded response body: {@code interval}, {@code min interval}, {@code complete},
   *     {@code incomplete} and {@code peers} (compact unless {@code compact=0}), or a {@code
   *     failure reason}
   */
  public byte[] announce(String rawQuery, InetAddress remote) {
    return announce(rawQuery, remote, null);
  }

  /**
   * As {@link #announce(String, InetAddress)}, for a tracker on a host that also runs peers of its
   * own (the api's seeder, an agent beside it): those announce from loopback, and a requester on
   * another host is given them at {@code local}, the address it reached the tracker at.
   */
  public byte[] announce(String rawQuery, InetAddress remote, InetAddress local) {
    TrackerQuery query;
    try {
      query = TrackerQuery.parse(rawQuery == null ? "" : rawQuery);
    } catch (IllegalArgumentException e) {
      return failure(e.getMessage());
    }
    byte[] infoHash = query.first("info_hash");
    if (infoHash == null || infoHash.length != 20) {
      return failure("info_hash must be 20 bytes");
    }
    TrackedSwarm swarm = swarms.get(HexFormat.of().formatHex(infoHash));
    if (swarm == null) {
      return failure("unregistered torrent: this tracker serves Cast releases only");
    }
    byte[] peerId = query.first("peer_id");
    if (peerId == null || peerId.length != PEER_ID_LENGTH) {
      return failure("peer_id must be 20 bytes");
    }
    int port;
    long left;
    int numwant;
    try {
      port = (int) query.number("port", -1);
      left = query.number("left", -1);
      numwant = (int) Math.min(query.number("numwant", DEFAULT_NUMWANT), MAX_NUMWANT);
    } catch (NumberFormatException e) {
      return failure("port, left and numwant must be integers");
    }
    if (port < 1 || port > 65535) {
      return failure("port must be 1 to 65535");
    }
    if (numwant < 0) {
      numwant = DEFAULT_NUMWANT;
    }
    String event = query.text("event", "");
    boolean compact = !"0".equals(query.text("compact", "1"));
    boolean noPeerId = "1".equals(query.text("no_peer_id", "0"));
    InetAddress address = peerAddress(query.text("ip", ""), remote);
    Peer self = new Peer(peerId, new InetSocketAddress(address, port), left == 0, clock.instant());

    TrackedSwarm.Answer answer = swarm.announce(self, event, numwant, expiry);
    Map<String, Object> response = new TreeMap<>();
    response.put("interval", interval.toSeconds());
    response.put("min interval", minInterval.toSeconds());
    response.put("complete", answer.stats().seeders());
    response.put("incomplete", answer.stats().leechers());
    if (compact) {
      List<InetSocketAddress> v4 = new ArrayList<>();
      List<InetSocketAddress> v6 = new ArrayList<>();
      for (Peer p : answer.peers()) {
        InetSocketAddress seen = seenFrom(p.address(), remote, local);
        (CompactPeers.isV4(seen) ? v4 : v6).add(seen);
      }
      response.put("peers", CompactPeers.encode(v4));
      if (!v6.isEmpty()) {
        response.put("peers6", CompactPeers.encode(v6));
      }
    } else {
      List<Object> peers = new ArrayList<>();
      for (Peer p : answer.peers()) {
        Map<String, Object> entry = new TreeMap<>();
        InetSocketAddress seen = seenFrom(p.address(), remote, local);
        entry.put("ip", ascii(seen.getAddress().getHostAddress()));
        entry.put("port", seen.getPort());
        if (!noPeerId) {
          entry.put("peer id", p.id());
        }
        peers.add(entry);
      }
      response.put("peers", peers);
    }
    return Bencoding.encode(response);
  }

  /**
   * Answers a BEP 48 scrape for the tracked info-hashes named in the query (unknown ones are left
   * out; a scrape naming none gets an empty {@code files} dictionary, so the tracked set is never
   * listed).
   */
  public byte[] scrape(String rawQuery) {
    TrackerQuery query;
    try {
      query = TrackerQuery.parse(rawQuery == null ? "" : rawQuery);
    } catch (IllegalArgumentException e) {
      return failure(e.getMessage());
    }
    Instant now = clock.instant();
    Map<String, Object> files = new TreeMap<>();
    for (byte[] infoHash : query.all("info_hash")) {
      TrackedSwarm swarm =
          infoHash.length == 20 ? swarms.get(HexFormat.of().formatHex(infoHash)) : null;
      if (swarm != null) {
        SwarmStats s = swarm.stats(now, expiry);
        Map<String, Object> file = new TreeMap<>();
        file.put("complete", s.seeders());
        file.put("incomplete", s.leechers());
        file.put("downloaded", s.completed());
        files.put(new String(infoHash, StandardCharsets.ISO_8859_1), file);
      }
    }
    return Bencoding.encode(Map.of("files", files));
  }

  /** A bencoded {@code failure reason} response. */
  static byte[] failure(String reason) {
    return Bencoding.encode(Map.of("failure reason", ascii(reason)));
  }

  /** A loopback peer as a requester on another host reaches it: at the tracker's address. */
  private static InetSocketAddress seenFrom(
      InetSocketAddress peer, InetAddress requester, InetAddress local) {
    if (local == null
        || !peer.getAddress().isLoopbackAddress()
        || requester.isLoopbackAddress()
        || local.isLoopbackAddress()) {
      return peer;
    }
    return new InetSocketAddress(local, peer.getPort());
  }

  private static InetAddress peerAddress(String ip, InetAddress remote) {
    if (!ip.isEmpty() && isIpLiteral(ip)) {
      try {
        return InetAddress.getByName(ip);
      } catch (UnknownHostException e) {
        // Not reachable for a literal; fall through to the remote address.
      }
    }
    return remote;
  }

  /** True for an IPv4 dotted quad or an IPv6 literal; host names are never resolved. */
  private static boolean isIpLiteral(String ip) {
    return ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || (ip.contains(":") && ip.matches("[0-9a-fA-F:.]+"));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String normalize(String infoHash) {
    if (infoHash == null || !infoHash.matches("[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("an info-hash is 40 hex digits: " + infoHash);
    }
    return infoHash.toLowerCase(Locale.ROOT);
  }
}
