package dev.cast.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void readsTheThreeFormsOfASingleRange() {
    assertThat(ByteRange.parse("bytes=0-99", 1000)).contains(new ByteRange(0, 99));
    assertThat(ByteRange.parse("bytes=900-", 1000)).contains(new ByteRange(900, 999));
    assertThat(ByteRange.parse("bytes=-100", 1000)).contains(new ByteRange(900, 999));
    assertThat(ByteRange.parse("bytes=990-5000", 1000)).contains(new ByteRange(990, 999));
    assertThat(new ByteRange(10, 19).contentRange(1000)).isEqualTo("bytes 10-19/1000");
    assertThat(new ByteRange(10, 19).length()).isEqualTo(10);
  }

  @Test
  void sendsTheWholeBodyForNoRangeOrOneItDoesNotServe() {
    assertThat(ByteRange.parse(null, 1000)).isEmpty();
    assertThat(ByteRange.parse("bytes=0-1,5-9", 1000)).isEmpty();
    assertThat(ByteRange.parse("items=0-1", 1000)).isEmpty();
    assertThat(ByteRange.parse("bytes=-", 1000)).isEmpty();
  }

  @Test
  void refusesARangeOutsideTheBody() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", 1000))
        .isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThatThrownBy(() -> ByteRange.parse("bytes=9-3", 1000))
        .isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 1000))
        .isInstanceOf(ByteRange.Unsatisfiable.class);
  }
}
