package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ListenPortTest {
  @BeforeAll
  static void loadNative() {
    // TorrentPeer's class initialisation reaches into libtorrent4j, which needs its library.
    TorrentNative.Availability a = TorrentNative.load(TestFiles.nativeCache());
    assertThat(a.available()).as(a.reason()).isTrue();
  }

  @Test
  void replacesPortZeroByOneFreePortForEveryAddress() {
    String concrete = TorrentPeer.withConcretePort("0.0.0.0:0,[::]:0");
    assertThat(concrete).matches("0\\.0\\.0\\.0:(\\d+),\\[::\\]:\\1");
    assertThat(concrete).doesNotEndWith(":0");
  }

  @Test
  void keepsExplicitPorts() {
    assertThat(TorrentPeer.withConcretePort("10.213.5.11:6881")).isEqualTo("10.213.5.11:6881");
  }

  @Test
  void connectsOutFromTheOneAddressItListensOn() {
    assertThat(TorrentPeer.singleAddress("10.213.5.11:6881")).isEqualTo("10.213.5.11");
    assertThat(TorrentPeer.singleAddress("[fd00::5]:6881")).isEqualTo("fd00::5");
    assertThat(TorrentPeer.singleAddress("0.0.0.0:6881")).isNull();
    assertThat(TorrentPeer.singleAddress("[::]:0")).isNull();
    assertThat(TorrentPeer.singleAddress("eth0:6881")).isNull();
    assertThat(TorrentPeer.singleAddress("10.0.0.1:1,10.0.0.2:1")).isNull();
  }
}
