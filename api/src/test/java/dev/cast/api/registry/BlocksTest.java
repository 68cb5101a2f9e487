package dev.cast.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cast.api.errors.ApiException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BlocksTest {
  private static Blocks of(String index, String wait) {
    MultivaluedHashMap<String, String> query = new MultivaluedHashMap<>();
    if (index != null) {
      query.add("index", index);
    }
    if (wait != null) {
      query.add("wait", wait);
    }
    return Blocks.of(query);
  }

  @Test
  void waitsAreGoDurationsFiveMinutesByDefaultAndAtMostTen() {
    assertThat(of("5", null).maxWait()).isEqualTo(Duration.ofMinutes(5));
    assertThat(of("5", "1m30s").maxWait()).isEqualTo(Duration.ofSeconds(90));
    assertThat(of("5", "250ms").maxWait()).isEqualTo(Duration.ofMillis(250));
    assertThat(of("5", "1.5h").maxWait()).isEqualTo(Duration.ofMinutes(10));
    assertThat(of("5", "0").maxWait()).isZero();
    assertThat(of(null, null).index()).isZero();
    assertThat(of("18446744073709551615", null).index()).isEqualTo(-1L); // uint64 max
  }

  @Test
  void whatDoesNotParseIsRefused() {
    for (String wait : new String[] {"-5s", "5", "s", "5x", "1e9h", "99999999999999999999h", "."}) {
      assertThatThrownBy(() -> of("1", wait))
          .as(wait)
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("Invalid wait time");
    }
    assertThatThrownBy(() -> of("-1", null)).hasMessageContaining("Invalid index");
    assertThatThrownBy(() -> of("abc", null)).hasMessageContaining("Invalid index");
  }
}
