package dev.cast.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCapsTest {
  @TempDir Path dir;

  @Test
  void aCapabilityOpensItsOwnReleaseOnly() throws Exception {
    BundleCaps caps = BundleCaps.open(dir);
    String cap = caps.issue("hello", "1.0.0");

    assertThat(caps.valid(cap, "hello", "1.0.0")).isTrue();
    assertThat(caps.valid(cap, "hello", "2.0.0")).isFalse();
    assertThat(caps.valid(cap, "other", "1.0.0")).isFalse();
    assertThat(caps.valid(null, "hello", "1.0.0")).isFalse();
    assertThat(caps.valid("garbage", "hello", "1.0.0")).isFalse();
    String later =
        (Long.parseLong(cap.substring(0, cap.indexOf('.'))) + 1) + cap.substring(cap.indexOf('.'));
    assertThat(caps.valid(later, "hello", "1.0.0")).as("its expiry is signed").isFalse();
    assertThat(BundleCaps.open(dir).valid(cap, "hello", "1.0.0")).as("the key is kept").isTrue();
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bundle-key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void anExpiredCapabilityOpensNothing() {
    BundleCaps caps = new BundleCaps(new byte[32]);
    String cap = caps.issue("hello", "1.0.0");
    String expired = "1000" + cap.substring(cap.indexOf('.'));

    assertThat(caps.valid(expired, "hello", "1.0.0")).isFalse();
  }
}
