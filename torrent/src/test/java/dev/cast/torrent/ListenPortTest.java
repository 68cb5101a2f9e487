package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenPortTest {
  @Test
  void replacesPortZeroByOneFreePortForEveryAddress() {
    String concrete = ListenInterfaces.withConcretePort("0.0.0.0:0,[::]:0");
    assertThat(concrete).matches("0\\.0\\.0\\.0:(\\d+),\\[::\\]:\\1");
    assertThat(concrete).doesNotEndWith(":0");
  }

  @Test
  void keepsExplicitPorts() {
    assertThat(ListenInterfaces.withConcretePort("10.213.5.11:6881")).isEqualTo("10.213.5.11:6881");
  }

  @Test
  void connectsOutFromTheOneAddressItListensOn() {
    assertThat(ListenInterfaces.singleAddress("10.213.5.11:6881")).isEqualTo("10.213.5.11");
    assertThat(ListenInterfaces.singleAddress("[fd00::5]:6881")).isEqualTo("fd00::5");
    assertThat(ListenInterfaces.singleAddress("0.0.0.0:6881")).isNull();
    assertThat(ListenInterfaces.singleAddress("[::]:0")).isNull();
    assertThat(ListenInterfaces.singleAddress("eth0:6881")).isNull();
    assertThat(ListenInterfaces.singleAddress("10.0.0.1:1,10.0.0.2:1")).isNull();
  }
}
