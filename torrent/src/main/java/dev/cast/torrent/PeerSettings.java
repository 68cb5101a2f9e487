package dev.cast.torrent;

import dev.cast.torrent.TorrentPeer.Options;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.swig.address;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.ip_filter;
import org.libtorrent4j.swig.settings_pack;

/**
 * The libtorrent settings of a {@link TorrentPeer}'s session, for a private swarm on a LAN (see the
 * peer's class comment for why each is set), and the peer-class filter that puts every address
 * under the session's rate limits.
 */
final class PeerSettings {
  private PeerSettings() {}

  /** The settings pack for a session run with {@code options} on {@code listenInterfaces}. */
  static SettingsPack of(Options options, String listenInterfaces) {
    SettingsPack sp = new SettingsPack();
    bool(sp, settings_pack.bool_types.enable_dht, false);
    bool(sp, settings_pack.bool_types.enable_lsd, false);
    bool(sp, settings_pack.bool_types.enable_upnp, false);
    bool(sp, settings_pack.bool_types.enable_natpmp, false);
    bool(sp, settings_pack.bool_types.enable_outgoing_utp, false);
    bool(sp, settings_pack.bool_types.enable_incoming_utp, false);
    bool(sp, settings_pack.bool_types.allow_multiple_connections_per_ip, true);
    bool(sp, settings_pack.bool_types.announce_to_all_trackers, true);
    bool(sp, settings_pack.bool_types.announce_to_all_tiers, true);
    // The IP filter only ever holds a spared seed (see SeedSparing): its tracker stays reachable.
    bool(sp, settings_pack.bool_types.apply_ip_filter_to_trackers, false);
    // The tracker asks for a re-announce every 30 s; libtorrent's floor is otherwise 5 minutes.
    integer(sp, settings_pack.int_types.min_announce_interval, 15);
    // Peers that refused a connection (not listening yet) are retried after 5 s, not 60 s.
    integer(sp, settings_pack.int_types.min_reconnect_time, 5);
    // Keep about a second's worth of block requests in flight per peer (at most 50 blocks, 800 KiB)
    // instead of libtorrent's 3 s and 500: hosts that all start at once otherwise queue the same
    // rare pieces at the seed, which then sends them twice. Six capped peers fetching from a capped
    // seed: 2.0 copies from the seed with the defaults, 1.5 with these, 1.2 with shares as well.
    integer(sp, settings_pack.int_types.request_queue_time, 1);
    integer(sp, settings_pack.int_types.max_out_request_queue, 50);
    integer(sp, settings_pack.int_types.upload_rate_limit, options.uploadRateLimit());
    integer(sp, settings_pack.int_types.download_rate_limit, options.downloadRateLimit());
    sp.setString(settings_pack.string_types.listen_interfaces.swigValue(), listenInterfaces);
    String single = ListenInterfaces.singleAddress(listenInterfaces);
    if (single != null) {
      // Connections out leave from the address peers know this one by, not the route's default.
      sp.setString(settings_pack.string_types.outgoing_interfaces.swigValue(), single);
    }
    if (!options.announceIp().isEmpty()) {
      sp.setString(settings_pack.string_types.announce_ip.swigValue(), options.announceIp());
    }
    return sp;
  }

  /**
   * A peer-class filter that puts every address into the global peer class only, so rate limits
   * apply to LAN and loopback peers too (libtorrent puts those in an unlimited "local" class by
   * default).
   */
  static ip_filter everyAddressInGlobalClass() {
    ip_filter classes = new ip_filter();
    error_code ec = new error_code();
    classes.add_rule(
        address.from_string("0.0.0.0", ec), address.from_string("255.255.255.255", ec), 1);
    classes.add_rule(
        address.from_string("::", ec),
        address.from_string("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ec),
        1);
    return classes;
  }

  private static void bool(SettingsPack sp, settings_pack.bool_types name, boolean value) {
    sp.setBoolean(name.swigValue(), value);
  }

  private static void integer(SettingsPack sp, settings_pack.int_types name, int value) {
    sp.setInteger(name.swigValue(), value);
  }
}
