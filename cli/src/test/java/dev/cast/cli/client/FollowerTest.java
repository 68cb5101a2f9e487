package dev.cast.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FollowerTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aFetchIsABarWithItsShareBytesRateAndSource() throws Exception {
    String bar =
        Follower.bar(
            json.readTree(
                "{\"bytes\": 22020096, \"totalBytes\": 52428800, \"bytesPerSecond\": 8703181,"
                    + " \"source\": \"torrent\"}"));

    assertThat(bar).isEqualTo("[##########--------------]  42%  21.0/50.0 MiB  8.3 MiB/s torrent");
  }

  @Test
  void anUnknownTotalIsNoShareYet() throws Exception {
    assertThat(Follower.bar(json.readTree("{\"bytes\": 0, \"totalBytes\": -1}")))
        .startsWith("[------------------------]   0%  0.0/0.0 MiB");
  }
}
