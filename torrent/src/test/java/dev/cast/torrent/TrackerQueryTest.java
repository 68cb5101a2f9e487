package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrackerQueryTest {
  @Test
  void binaryValuesAreDecodedToTheirRawBytes() {
    TrackerQuery query = TrackerQuery.parse("info_hash=%00%FFa%e9&port=6881");

    assertThat(query.first("info_hash")).containsExactly(0x00, 0xff, 'a', 0xe9);
    assertThat(query.number("port", -1)).isEqualTo(6881);
  }

  @Test
  void aPlusStaysAPlus() {
    assertThat(TrackerQuery.parse("key=a+b").text("key", "")).isEqualTo("a+b");
  }

  @Test
  void aRepeatedKeyKeepsEveryValueInOrder() {
    TrackerQuery query = TrackerQuery.parse("info_hash=a&info_hash=b");

    assertThat(query.all("info_hash")).containsExactly(new byte[] {'a'}, new byte[] {'b'});
    assertThat(query.first("info_hash")).containsExactly('a');
  }

  @Test
  void anAbsentKeyGivesTheFallback() {
    TrackerQuery query = TrackerQuery.parse("event=&compact");

    assertThat(query.first("peer_id")).isNull();
    assertThat(query.all("peer_id")).isEmpty();
    assertThat(query.text("no_peer_id", "0")).isEqualTo("0");
    assertThat(query.number("numwant", 50)).isEqualTo(50);
    assertThat(query.text("event", "none")).isEmpty();
    assertThat(query.text("compact", "1")).isEmpty();
  }

  @Test
  void aMalformedEscapeIsRefused() {
    assertThatThrownBy(() -> TrackerQuery.parse("info_hash=%4"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrackerQuery.parse("info_hash=%zz"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aQueryAlreadyDecodedAsUnicodeIsRefused() {
    assertThatThrownBy(() -> TrackerQuery.parse("peer_id=\u20ac"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
