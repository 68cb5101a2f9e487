package dev.cast.torrent;

import dev.cast.torrent.Tracker.SwarmStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The peers of one torrent a {@link Tracker} tracks, and how many downloads completed. Every method
 * holds the swarm's lock.
 */
final class TrackedSwarm {
  private final Map<String, Peer> peers = new HashMap<>();
  private long completed;

  /** One announce's view of a peer. */
  record Peer(byte[] id, InetSocketAddress address, boolean seeder, Instant seen) {
    String key() {
      return HexFormat.of().formatHex(id) + "@" + address;
    }

    boolean sameId(Peer other) {
      return Arrays.equals(id, other.id);
    }
  }

  /** What an announce gets back: other peers, and the swarm's counts. */
  record Answer(List<Peer> peers, SwarmStats stats) {}

  synchronized Answer announce(Peer self, String event, int numwant, Duration expiry) {
    expire(self.seen(), expiry);
    switch (event) {
      case "stopped" -> {
        peers.values().removeIf(p -> p.sameId(self) && p.address().equals(self.address()));
        return new Answer(List.of(), statsLocked());
      }
      case "completed" -> completed++;
      default -> {}
    }
    peers.put(self.key(), self);
    List<Peer> others =
        peers.values().stream()
            .filter(p -> !p.sameId(self))
            .filter(p -> !(self.seeder() && p.seeder()))
            .collect(Collectors.toCollection(ArrayList::new));
    Collections.shuffle(others);
    // A peer that announced through several local addresses appears once per address; keep
    // them all, so a client reaches it through whichever address works.
    return new Answer(others.subList(0, Math.min(numwant, others.size())), statsLocked());
  }

  synchronized SwarmStats stats(Instant now, Duration expiry) {
    expire(now, expiry);
    return statsLocked();
  }

  private SwarmStats statsLocked() {
    Map<String, Boolean> seederById = new HashMap<>();
    for (Peer p : peers.values()) {
      seederById.merge(HexFormat.of().formatHex(p.id()), p.seeder(), Boolean::logicalOr);
    }
    int seeders = (int) seederById.values().stream().filter(s -> s).count();
    return new SwarmStats(seeders, seederById.size() - seeders, completed);
  }

  private void expire(Instant now, Duration expiry) {
    Instant cutoff = now.minus(expiry);
    peers.values().removeIf(p -> p.seen().isBefore(cutoff));
  }
}
