package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenPortTest {
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
}
