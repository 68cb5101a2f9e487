package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackerTest {
  private static final String HASH = "00ff10203040506070809a0b0c0d0e0f2b254180";
  private final MutableClock clock = new MutableClock();
  private final Tracker tracker = new Tracker(Duration.ofSeconds(30), clock);

  @Test
  void refusesAnUnknownInfoHash() {
    Map<String, Object> answer = announce(query(HASH, peerId('a'), 6881, 100, ""), "10.0.0.1");
    assertThat(Bencoding.text(answer.get("failure reason"))).contains("unregistered torrent");
  }

  @Test
  void refusesAnUnknownInfoHashOverHttp() throws Exception {
    try (TestHttp http = new TestHttp(tracker, null)) {
      HttpResponse<byte[]> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              http.announceUrl() + "?" + query(HASH, peerId('a'), 6881, 1, "")))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, Object> answer = Bencoding.decodeDictionary(response.body());
      assertThat(answer).containsOnlyKeys("failure reason");
    }
  }

  @Test
  void decodesBinaryInfoHashesFromTheRawQuery() {
    tracker.allow(HASH.toUpperCase());
    // 0x00, 0xff, '+', 'A' are sent raw or escaped by different clients; both must decode.
    String raw = "info_hash=%00%FF%10%20%30%40%50%60%70%80%9a%0b%0c%0d%0e%0f+%25A%80";
    Map<String, Object> answer =
        announce(raw + "&peer_id=" + peerId('a') + "&port=6881&left=5", "10.0.0.1");
    assertThat(answer).doesNotContainKey("failure reason");
    assertThat(tracker.stats(HASH).orElseThrow().leechers()).isEqualTo(1);
  }

  @Test
  void handsOutOtherPeersCompactlyButNeverThePeerItself() {
    tracker.allow(HASH);
    announce(query(HASH, peerId('s'), 7000, 0, "started"), "10.0.0.1");
    Map<String, Object> answer =
        announce(query(HASH, peerId('l'), 7001, 100, "started"), "10.0.0.2");

    assertThat(Bencoding.number(answer.get("interval"))).isEqualTo(30);
    assertThat(Bencoding.number(answer.get("min interval"))).isEqualTo(10);
    assertThat(Bencoding.number(answer.get("complete"))).isEqualTo(1);
    assertThat(Bencoding.number(answer.get("incomplete"))).isEqualTo(1);
    assertThat(CompactPeers.decode(Bencoding.bytes(answer.get("peers")), 4))
        .containsExactly(new InetSocketAddress("10.0.0.1", 7000));
  }

  @Test
  void givesAPeerBesideTheTrackerToAnotherHostAtTheAddressItReachedTheTrackerAt() throws Exception {
    tracker.allow(HASH);
    announce(query(HASH, peerId('s'), 7000, 0, "started"), "127.0.0.1");
    Map<String, Object> remote =
        Bencoding.decodeDictionary(
            tracker.announce(
                query(HASH, peerId('l'), 7001, 100, "started"),
                InetAddress.getByName("10.0.0.2"),
                InetAddress.getByName("10.0.0.1")));
    Map<String, Object> local =
        Bencoding.decodeDictionary(
            tracker.announce(
                query(HASH, peerId('m'), 7002, 100, "started"),
                InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("127.0.0.1")));

    assertThat(CompactPeers.decode(Bencoding.bytes(remote.get("peers")), 4))
        .containsExactly(new InetSocketAddress("10.0.0.1", 7000));
    assertThat(CompactPeers.decode(Bencoding.bytes(local.get("peers")), 4))
        .contains(new InetSocketAddress("127.0.0.1", 7000));
  }

  @Test
  void givesASeederOnlyLeechers() {
    tracker.allow(HASH);
    announce(query(HASH, peerId('a'), 7000, 0, "started"), "10.0.0.1");
    announce(query(HASH, peerId('b'), 7001, 10, "started"), "10.0.0.2");
    Map<String, Object> answer = announce(query(HASH, peerId('c'), 7002, 0, ""), "10.0.0.3");
    assertThat(CompactPeers.decode(Bencoding.bytes(answer.get("peers")), 4))
        .containsExactly(new InetSocketAddress("10.0.0.2", 7001));
  }

  @Test
  void answersDictionaryPeersWhenCompactIsOff() {
    tracker.allow(HASH);
    announce(query(HASH, peerId('s'), 7000, 0, ""), "10.0.0.1");
    Map<String, Object> answer =
        announce(query(HASH, peerId('l'), 7001, 100, "") + "&compact=0", "10.0.0.2");
    List<Object> peers = Bencoding.list(answer.get("peers"));
    assertThat(peers).hasSize(1);
    Map<String, Object> peer = Bencoding.dictionary(peers.get(0));
    assertThat(Bencoding.text(peer.get("ip"))).isEqualTo("10.0.0.1");
    assertThat(Bencoding.number(peer.get("port"))).isEqualTo(7000);
    assertThat(Bencoding.text(peer.get("peer id"))).isEqualTo(peerId('s'));
  }

  @Test
  void usesALiteralIpParameterAndSendsIpv6PeersInPeers6() {
    tracker.allow(HASH);
    announce(query(HASH, peerId('s'), 7000, 0, "") + "&ip=fd00::5", "10.0.0.1");
    announce(query(HASH, peerId('t'), 7001, 0, "") + "&ip=10.9.9.9", "10.0.0.3");
    Map<String, Object> answer = announce(query(HASH, peerId('l'), 7002, 1, ""), "10.0.0.2");
    assertThat(CompactPeers.decode(Bencoding.bytes(answer.get("peers")), 4))
        .containsExactly(new InetSocketAddress("10.9.9.9", 7001));
    assertThat(CompactPeers.decode(Bencoding.bytes(answer.get("peers6")), 16))
        .containsExactly(new InetSocketAddress("fd00::5", 7000));
  }

  @Test
  void dropsAPeerThatStoppedOrWentSilent() {
    tracker.allow(HASH);
    announce(query(HASH, peerId('a'), 7000, 0, "started"), "10.0.0.1");
    announce(query(HASH, peerId('b'), 7001, 5, "started"), "10.0.0.2");
    announce(query(HASH, peerId('b'), 7001, 5, "stopped"), "10.0.0.2");
    assertThat(tracker.stats(HASH).orElseThrow()).isEqualTo(new Tracker.SwarmStats(1, 0, 0));

    clock.advance(Duration.ofSeconds(91));
    assertThat(tracker.stats(HASH).orElseThrow()).isEqualTo(new Tracker.SwarmStats(0, 0, 0));
  }

  @Test
  void countsCompletedDownloadsAndForgets() {
    tracker.allow(HASH);
    announce(query(HASH, peerId('a'), 7000, 5, "started"), "10.0.0.1");
    announce(query(HASH, peerId('a'), 7000, 0, "completed"), "10.0.0.1");
    assertThat(tracker.stats()).containsEntry(HASH, new Tracker.SwarmStats(1, 0, 1));

    tracker.forget(HASH);
    assertThat(tracker.isAllowed(HASH)).isFalse();
    assertThat(announce(query(HASH, peerId('a'), 7000, 0, ""), "10.0.0.1"))
        .containsKey("failure reason");
  }

  @Test
  void refusesMalformedAnnounces() {
    tracker.allow(HASH);
    assertThat(announce("info_hash=" + encode(HASH) + "&port=1", "10.0.0.1"))
        .containsKey("failure reason");
    assertThat(announce(query(HASH, peerId('a'), 0, 0, ""), "10.0.0.1"))
        .containsKey("failure reason");
    assertThat(announce("info_hash=%zz", "10.0.0.1")).containsKey("failure reason");
  }

  @Test
  void scrapesOnlyTrackedTorrents() {
    tracker.allow(HASH);
    announce(query(HASH, peerId('a'), 7000, 0, ""), "10.0.0.1");
    String other = "11".repeat(20);
    Map<String, Object> files =
        Bencoding.dictionary(
            Bencoding.decodeDictionary(
                    tracker.scrape("info_hash=" + encode(HASH) + "&info_hash=" + encode(other)))
                .get("files"));
    assertThat(files).hasSize(1);
    Map<String, Object> file = Bencoding.dictionary(files.values().iterator().next());
    assertThat(Bencoding.number(file.get("complete"))).isEqualTo(1);
  }

  private Map<String, Object> announce(String rawQuery, String remote) {
    try {
      return Bencoding.decodeDictionary(tracker.announce(rawQuery, InetAddress.getByName(remote)));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static String query(String infoHash, String peerId, int port, long left, String event) {
    String q =
        "info_hash="
            + encode(infoHash)
            + "&peer_id="
            + peerId
            + "&port="
            + port
            + "&uploaded=0&downloaded=0&left="
            + left;
    return event.isEmpty() ? q : q + "&event=" + event;
  }

  static String encode(String hex) {
    StringBuilder b = new StringBuilder();
    for (byte x : HexFormat.of().parseHex(hex)) {
      b.append('%').append(String.format("%02X", x & 0xff));
    }
    return b.toString();
  }

  static String peerId(char c) {
    return "-CA0001-" + String.valueOf(c).repeat(12);
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2024-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
