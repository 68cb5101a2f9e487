package dev.cast.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentConfigurationTest {
  @TempDir Path dir;

  private AgentConfiguration parse(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yml"), yaml);
    return AgentMain.load(file.toFile());
  }

  @Test
  void defaultsListenOnTheAgentAddressAndSeedForAnHour() throws Exception {
    AgentConfiguration config = parse("address: 10.0.0.5\n");

    TorrentConfiguration torrent = config.getTorrent();
    assertThat(torrent.isEnabled()).isTrue();
    assertThat(torrent.listenFor(config.getAddress())).isEqualTo("10.0.0.5:0");
    assertThat(torrent.getUploadRate()).isNull();
    assertThat(torrent.getSeedTime().toSeconds()).isEqualTo(3600);
    assertThat(torrent.getStallTimeout().toSeconds()).isEqualTo(30);
    assertThat(torrent.getWebSeedDelay().toSeconds()).isEqualTo(5);
  }

  @Test
  void readsTheTorrentSection() throws Exception {
    AgentConfiguration config =
        parse(
            """
            torrent:
              enabled: false
              listen: 0.0.0.0:6881
              uploadRate: 10MiB
              seedTime: 10m
              cacheSize: 1GiB
              stallTimeout: 5s
              webSeedDelay: 0s
            """);

    TorrentConfiguration torrent = config.getTorrent();
    assertThat(torrent.isEnabled()).isFalse();
    assertThat(torrent.listenFor("10.0.0.5")).isEqualTo("0.0.0.0:6881");
    assertThat(torrent.getUploadRate().toBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(torrent.getSeedTime().toMinutes()).isEqualTo(10);
    assertThat(torrent.getCacheSize().toBytes()).isEqualTo(1L << 30);
    assertThat(torrent.getStallTimeout().toSeconds()).isEqualTo(5);
    assertThat(torrent.getWebSeedDelay().toMilliseconds()).isZero();
  }

  @Test
  void anUnknownKeyFailsStart() {
    assertThatThrownBy(() -> parse("torrent:\n  seedtime: 1h\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("seedtime");
  }
}
