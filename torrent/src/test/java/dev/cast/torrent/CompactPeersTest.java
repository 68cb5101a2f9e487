package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactPeersTest {
  @Test
  void encodesIpv4PeersAsSixBigEndianBytes() {
    byte[] compact =
        CompactPeers.encode(
            List.of(
                new InetSocketAddress("10.213.7.11", 6881),
                new InetSocketAddress("127.0.0.1", 65535)));
    assertThat(compact)
        .containsExactly(10, 213 - 256, 7, 11, 0x1a, 0xe1 - 256, 127, 0, 0, 1, -1, -1);
  }

  @Test
  void decodesWhatItEncodes() {
    List<InetSocketAddress> v4 =
        List.of(new InetSocketAddress("192.0.2.2", 1), new InetSocketAddress("10.0.0.1", 51413));
    List<InetSocketAddress> v6 = List.of(new InetSocketAddress("fd00::2", 6881));
    assertThat(CompactPeers.decode(CompactPeers.encode(v4), 4)).isEqualTo(v4);
    assertThat(CompactPeers.decode(CompactPeers.encode(v6), 16)).isEqualTo(v6);
    assertThat(CompactPeers.encode(v6)).hasSize(18);
  }

  @Test
  void refusesTruncatedLists() {
    assertThatThrownBy(() -> CompactPeers.decode(new byte[7], 4))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
