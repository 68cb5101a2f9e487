package dev.cast.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallerTest {
  private static Caller limitedTo(String... apps) {
    return new Caller("t-1", "ci", Role.DEPLOYER, List.of(apps), null);
  }

  @Test
  void reachesAppsByNameOrGlob() {
    Caller caller = limitedTo("hello", "shop-*");

    assertThat(caller.reaches("hello")).isTrue();
    assertThat(caller.reaches("shop-cart")).isTrue();
    assertThat(caller.reaches("shop-")).isTrue();
    assertThat(caller.reaches("hello2")).isFalse();
    assertThat(caller.reaches("my-shop-cart")).isFalse();
    assertThat(new Caller("t-2", "all", Role.VIEWER, null, null).reaches("anything")).isTrue();
  }

  @Test
  void globsMatchAnyRunOfCharactersOnlyWhereTheStarIs() {
    assertThat(Caller.glob("*", "")).isTrue();
    assertThat(Caller.glob("a*c", "abbbc")).isTrue();
    assertThat(Caller.glob("a*c", "abbbd")).isFalse();
    assertThat(Caller.glob("*-api", "shop-api")).isTrue();
    assertThat(Caller.glob("*-api", "shop-api-2")).isFalse();
  }

  @Test
  void rolesIncludeTheOnesBelow() {
    assertThat(Role.ADMIN.includes(Role.DEPLOYER)).isTrue();
    assertThat(Role.DEPLOYER.includes(Role.VIEWER)).isTrue();
    assertThat(Role.VIEWER.includes(Role.DEPLOYER)).isFalse();
    assertThat(Role.parse("root")).isNull();
  }

  @Test
  void anExpiredTokenIsExpired() {
    long now = System.currentTimeMillis();
    assertThat(new Caller("t", "n", Role.ADMIN, null, now - 1).expired(now)).isTrue();
    assertThat(new Caller("t", "n", Role.ADMIN, null, now + 60_000).expired(now)).isFalse();
  }
}
