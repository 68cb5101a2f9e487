package dev.cast.torrent;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.libtorrent4j.PeerInfo;
import org.libtorrent4j.SessionManager;
import org.libtorrent4j.TorrentHandle;
import org.libtorrent4j.swig.address;
import org.libtorrent4j.swig.bitfield;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.ip_filter;
import org.libtorrent4j.swig.torrent_status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed sparing for one {@link TorrentPeer} (the policy is described at {@link
 * TorrentPeer#spareSeed}): which downloads may spare their seed, the seed addresses the session's
 * IP filter blocks while every running download holds its share, and when a download asks its seed
 * again. Apart from {@link #spare}, its methods run on the peer's poller thread.
 */
final class SeedSparing {
  // Logged as the peer, so one logger carries everything the BitTorrent peer reports.
  private static final Logger LOG = LoggerFactory.getLogger(TorrentPeer.class);

  /** How long a download sparing its seed may receive nothing before it asks the seed again. */
  static final Duration SPARE_IDLE = Duration.ofSeconds(1);

  private final SessionManager session;
  private final Collection<ActiveDownload> downloads;
  private final BooleanSupplier closed;
  // The seed addresses blocked in the session's IP filter; touched on the poller thread only.
  private volatile Set<String> sparedSeeds = Set.of();
  private final AtomicInteger sparings = new AtomicInteger();

  /**
   * Sparing for {@code session}, whose running downloads are {@code downloads} (a live view); it
   * leaves the IP filter alone once {@code closed} says the peer is closed.
   */
  SeedSparing(
      SessionManager session, Collection<ActiveDownload> downloads, BooleanSupplier closed) {
    this.session = session;
    this.downloads = downloads;
    this.closed = closed;
  }

  /**
   * Lets {@code active} spare the seed at {@code seed} once it holds its share, unless it fetches
   * the whole torrent, uses its web seeds from the start, or {@code seed} is this machine's.
   */
  static void spare(ActiveDownload active, InetAddress seed) {
    boolean webSeedsFromTheStart =
        active.heldWebSeeds.isEmpty() && !active.meta.webSeeds().isEmpty();
    if (active.share.count() < 2 || webSeedsFromTheStart || isOwnAddress(seed)) {
      return;
    }
    active.sparedSeed = seed.getHostAddress();
  }

  /** The seed addresses blocked at the moment. */
  Set<String> sparedSeeds() {
    return sparedSeeds;
  }

  /** Whether any seed address is blocked at the moment. */
  boolean isSparing() {
    return !sparedSeeds.isEmpty();
  }

  /** How many times a seed began to be spared since the peer started. */
  int sparings() {
    return sparings.get();
  }

  /**
   * Blocks the seeds that every running download spares, and unblocks the others; a download that
   * stopped receiving while its seed was spared gives up sparing it.
   */
  void update() {
    long now = System.nanoTime();
    List<ActiveDownload> running = new ArrayList<>();
    for (ActiveDownload active : downloads) {
      if (active.download.done.isDone()) {
        continue;
      }
      if (active.sparesSeed() && sparedSeeds.contains(active.sparedSeed)) {
        String why = whyAskTheSeedAgain(active, now);
        if (why != null) {
          active.spareReleased = true;
          LOG.info(
              "{}: {} while sparing the seed at {}; asking it again",
              active.meta.name(),
              why,
              active.sparedSeed);
        }
      }
      running.add(active);
    }
    Set<String> blocked = toBlock(running);
    if (blocked.equals(sparedSeeds) || closed.getAsBoolean()) {
      return;
    }
    block(blocked);
  }

  /**
   * The seed addresses to block, given the downloads still running: the seeds they spare when every
   * one of them spares its seed, and none as soon as one of them needs its seed.
   */
  static Set<String> toBlock(List<ActiveDownload> running) {
    Set<String> spared = new TreeSet<>();
    for (ActiveDownload active : running) {
      if (!active.sparesSeed()) {
        return Set.of();
      }
      spared.add(active.sparedSeed);
    }
    return Set.copyOf(spared);
  }

  /** Puts exactly {@code blocked} into the session's IP filter. */
  private void block(Set<String> blocked) {
    StringBuilder got = new StringBuilder();
    if (!blocked.isEmpty()) {
      for (ActiveDownload active : downloads) {
        got.append("; ")
            .append(active.meta.name())
            .append(": ")
            .append(fromAddress(active, active.sparedSeed))
            .append(" bytes from the seed, ")
            .append(active.last.bytesDone())
            .append(" of ")
            .append(active.meta.length())
            .append(" here");
      }
    }
    ip_filter filter = new ip_filter();
    error_code ec = new error_code();
    for (String seed : blocked) {
      address a = address.from_string(seed, ec);
      filter.add_rule(a, a, ip_filter.access_flags.blocked.swigValue());
    }
    session.swig().set_ip_filter(filter);
    if (blocked.isEmpty()) {
      LOG.info("taking pieces from {} again", sparedSeeds);
      // The filter dropped the seed from every torrent's peer list: the tracker hands it out again.
      for (ActiveDownload active : downloads) {
        if (!active.download.done.isDone() && active.handle.isValid()) {
          active.handle.forceReannounce(0, -1, TorrentHandle.IGNORE_MIN_INTERVAL);
        }
      }
    } else {
      sparings.incrementAndGet();
      LOG.info("sparing the seed at {}: every download here holds its own share{}", blocked, got);
    }
    sparedSeeds = blocked;
  }

  /**
   * Whether {@code piece}, just finished, may complete the share of a download that may spare its
   * seed. The seed is spared the moment the share is complete: the requests for other pieces that
   * the seed has queued behind the share's last blocks are then never sent. The share's pieces are
   * counted so that they are looked at once the count says the share may be complete, not on every
   * piece; pieces already on disk when a download resumes are found by the poll.
   */
  static boolean mayHoldShare(ActiveDownload active, int piece) {
    return active.sparedSeed != null
        && !active.spareChecked
        && active.share.contains(piece, active.meta.pieceCount())
        && active.shareLeft.decrementAndGet() <= 0;
  }

  /**
   * Notes when a download that may spare its seed holds its whole share, and whether the seed's
   * address is shared with other peers (then it is not spared).
   */
  static void checkShare(ActiveDownload active) {
    if (active.sparedSeed == null
        || active.spareReleased
        || active.spareChecked
        || !holdsShare(active)) {
      return;
    }
    active.spareChecked = true;
    if (sharedAddress(active, active.sparedSeed)) {
      active.spareReleased = true;
      LOG.info(
          "{}: not sparing the seed at {}, other peers share its address",
          active.meta.name(),
          active.sparedSeed);
    }
  }

  /**
   * Why a download that spares its seed should ask it again, or null: it received nothing for
   * {@link #SPARE_IDLE}, or so few shares are unsent that the seed has upload to spare ({@link
   * Share#fewUnsent}, from libtorrent's piece availability: the seed is not connected, so it counts
   * only peers).
   */
  static String whyAskTheSeedAgain(ActiveDownload active, long now) {
    if (now - active.lastDeliveryAt >= SPARE_IDLE.toNanos()) {
      return "nothing received for " + SPARE_IDLE.toMillis() + " ms";
    }
    bitfield have = active.handle.swig().status(TorrentHandle.QUERY_PIECES).get_pieces();
    int unsent =
        active.share.unsentShares(
            active.handle.pieceAvailability(),
            active.meta.pieceCount(),
            i -> i < have.size() && have.get_bit(i));
    return active.share.fewUnsent(unsent)
        ? "only " + unsent + " of " + active.share.count() + " shares have pieces no peer holds"
        : null;
  }

  /** Whether every piece of the download's share is here. */
  private static boolean holdsShare(ActiveDownload active) {
    torrent_status s = active.handle.swig().status(TorrentHandle.QUERY_PIECES);
    bitfield have = s.get_pieces();
    int pieces = active.meta.pieceCount();
    if (have.size() < pieces) {
      return false;
    }
    for (int i = 0; i < pieces; i++) {
      if (active.share.contains(i, pieces) && !have.get_bit(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether more than one peer of the download is connected from {@code address}. */
  private static boolean sharedAddress(ActiveDownload active, String address) {
    return active.handle.peerInfo().stream().filter(p -> hostOf(p).equals(address)).count() > 1;
  }

  /** Payload bytes the download received from the peers at {@code address} so far. */
  private static long fromAddress(ActiveDownload active, String address) {
    return active.handle.peerInfo().stream()
        .filter(p -> hostOf(p).equals(address))
        .mapToLong(PeerInfo::totalDownload)
        .sum();
  }

  private static String hostOf(PeerInfo peer) {
    return hostOf(peer.ip());
  }

  /** A peer's address without port, scheme or brackets: libtorrent4j gives "tcp://a.b.c.d:port". */
  static String hostOf(String ip) {
    int scheme = ip.indexOf("://");
    if (scheme >= 0) {
      ip = ip.substring(scheme + 3);
    }
    int colon = ip.lastIndexOf(':');
    String host = colon < 0 ? ip : ip.substring(0, colon);
    return host.replace("[", "").replace("]", "");
  }

  private static boolean isOwnAddress(InetAddress address) {
    try {
      return address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return true;
    }
  }
}
