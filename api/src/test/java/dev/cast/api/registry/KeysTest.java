package dev.cast.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cast.api.auth.Caller;
import dev.cast.api.auth.KvGrant;
import dev.cast.api.auth.Role;
import dev.cast.api.errors.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key rules Cast itself applies: Jetty refuses some bad paths before Cast sees them, but a
 * transaction's keys and decoded paths reach {@link Keys#check} alone.
 */
class KeysTest {
  @Test
  void dotSegmentsControlCharactersAndOverlongKeysAreRefused() {
    for (String key : List.of("a/../b", "..", "a/./b", "a\u0001b", "a\u007fb", "x".repeat(1025))) {
      assertThatThrownBy(() -> Keys.check(key, true))
          .as(key.length() > 40 ? "long key" : key)
          .isInstanceOf(ApiException.class)
          .hasMessageStartingWith("Invalid key");
    }
    assertThatThrownBy(() -> Keys.check("", true)).hasMessage("Missing key name");
    assertThat(Keys.check("", false)).isEmpty();
    assertThat(Keys.check("config/hello/..x/y.z/", true)).isEqualTo("config/hello/..x/y.z/");
  }

  @Test
  void aPrefixLimitedTokenReadsAndWritesOnlyWhereItWasGranted() {
    Caller app =
        new Caller(
            "t",
            "hello-app",
            Role.VIEWER,
            null,
            null,
            List.of(new KvGrant("config/hello/", "read"), new KvGrant("locks/hello/", "write")));
    assertThat(app.mayRead("config/hello/greeting")).isTrue();
    assertThat(app.mayRead("config/other/x")).isFalse();
    assertThat(app.mayWrite("config/hello/greeting")).isFalse();
    assertThat(app.mayWrite("locks/hello/leader")).isTrue();
    assertThat(app.mayRead("locks/hello/leader")).isTrue();
    assertThat(app.writesSomewhere()).isTrue();
    Caller viewer = new Caller("t", "v", Role.VIEWER, null, null);
    assertThat(viewer.mayRead("anything")).isTrue();
    assertThat(viewer.mayWrite("anything")).isFalse();
    assertThatThrownBy(() -> Keys.mayWrite(app, "config/hello/greeting"))
        .hasMessageContaining("may not write key");
  }
}
