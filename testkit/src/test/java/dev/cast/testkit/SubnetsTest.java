package dev.cast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubnetsTest {
  private static final String ADDRESSES =
      """
      1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
      4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever
      9: castf7i-1    inet 10.213.5.1/24 scope global castf7i-1\\       valid_lft forever
      """;
  private static final String ROUTES =
      """
      default via 192.0.2.1 dev eth0
      192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
      10.213.6.128/25 via 192.0.2.9 dev eth0
      local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
      broadcast 10.213.5.255 dev castf7i-1 table local proto kernel scope link src 10.213.5.1
      """;

  @Test
  void takesTheFirstFreeSlashTwentyFourFromTheStart() {
    assertThat(Subnets.choose(ADDRESSES, ROUTES, 3)).isEqualTo("10.213.3");
  }

  @Test
  void skipsSubnetsWithAnAddressOrAnOverlappingRoute() {
    assertThat(Subnets.choose(ADDRESSES, ROUTES, 5)).isEqualTo("10.213.7");
  }

  @Test
  void aDefaultRouteTakesNothing() {
    assertThat(Subnets.choose("", "default via 10.213.0.1 dev eth0\n", 0)).isEqualTo("10.213.0");
  }

  @Test
  void aWiderRouteTakesEverySubnetInside() {
    assertThatThrownBy(() -> Subnets.choose("", "10.0.0.0/8 via 192.0.2.1 dev eth0\n", 0))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void wrapsAround() {
    assertThat(Subnets.choose("", "10.213.255.0/24 dev x\n", 255)).isEqualTo("10.213.0");
  }
}
