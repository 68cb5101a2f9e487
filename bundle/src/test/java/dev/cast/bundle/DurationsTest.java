package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void secondsWritesWholeSecondsWithoutDecimals() {
    assertThat(Durations.seconds(Duration.ofMinutes(2))).isEqualTo("120s");
  }

  @Test
  void secondsWritesOneDecimalOtherwise() {
    assertThat(Durations.seconds(Duration.ofMillis(2500))).isEqualTo("2.5s");
  }
}
