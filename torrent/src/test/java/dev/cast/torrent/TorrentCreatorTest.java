package dev.cast.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentCreatorTest {
  @Test
  void picksAPieceLengthForAboutAThousandToTwoThousandPieces() {
    assertThat(TorrentCreator.pieceLengthFor(1000)).isEqualTo(16 * 1024);
    assertThat(TorrentCreator.pieceLengthFor(8L << 20)).isEqualTo(16 * 1024);
    assertThat(TorrentCreator.pieceLengthFor(100L << 20)).isEqualTo(64 * 1024);
    assertThat(TorrentCreator.pieceLengthFor(1L << 30)).isEqualTo(1024 * 1024);
    assertThat(TorrentCreator.pieceLengthFor(100L << 30)).isEqualTo(4 * 1024 * 1024);
  }

  @Test
  void makesAV1SingleFileTorrentThatParsesBack(@TempDir Path dir) throws Exception {
    Path file = TestFiles.random(dir.resolve("app-1.0.tar.gz"), 100_000, 9);
    Metainfo torrent =
        TorrentCreator.of(file)
            .name("ab12.tar.gz")
            .announce("http://api:8080/announce")
            .webSeed("http://api:8080/v1/bundles/ab12")
            .privateTorrent(true)
            .create();

    Metainfo parsed = Metainfo.parse(torrent.bytes());
    assertThat(parsed).isEqualTo(torrent);
    assertThat(parsed.name()).isEqualTo("ab12.tar.gz");
    assertThat(parsed.length()).isEqualTo(100_000);
    assertThat(parsed.pieceLength()).isEqualTo(16 * 1024);
    assertThat(parsed.pieceCount()).isEqualTo(7);
    assertThat(parsed.announce()).isEqualTo("http://api:8080/announce");
    assertThat(parsed.webSeeds()).containsExactly("http://api:8080/v1/bundles/ab12");
    assertThat(parsed.isPrivate()).isTrue();

    Map<String, Object> root = Bencoding.decodeDictionary(torrent.bytes());
    Map<String, Object> info = Bencoding.dictionary(root.get("info"));
    assertThat(info).containsOnlyKeys("length", "name", "piece length", "pieces", "private");
    byte[] encodedInfo = Bencoding.rawValue(torrent.bytes(), "info");
    assertThat(torrent.infoHash())
        .isEqualTo(
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(encodedInfo)));
    byte[] firstPiece = Arrays.copyOf(Files.readAllBytes(file), 16 * 1024);
    assertThat(Arrays.copyOf(Bencoding.bytes(info.get("pieces")), 20))
        .isEqualTo(MessageDigest.getInstance("SHA-1").digest(firstPiece));
  }

  @Test
  void rewritesTrackerAndWebSeedKeepingTheInfoHash(@TempDir Path dir) throws Exception {
    Path file = TestFiles.random(dir.resolve("b.tar.gz"), 300_000, 3);
    Metainfo original =
        TorrentCreator.of(file)
            .announce("http://127.0.0.1:1/announce")
            .webSeed("http://127.0.0.1:1/bundle")
            .privateTorrent(true)
            .create();

    Metainfo rewritten =
        Metainfo.parse(
            original.withUrls(
                "http://10.0.0.1:8080/announce", List.of("http://10.0.0.1:8080/bundle")));

    assertThat(rewritten.infoHash()).isEqualTo(original.infoHash());
    assertThat(rewritten.announce()).isEqualTo("http://10.0.0.1:8080/announce");
    assertThat(rewritten.webSeeds()).containsExactly("http://10.0.0.1:8080/bundle");
    assertThat(rewritten.isPrivate()).isTrue();
    assertThat(rewritten.length()).isEqualTo(original.length());
  }

  @Test
  void isReproducible(@TempDir Path dir) throws Exception {
    Path file = TestFiles.random(dir.resolve("b.tar.gz"), 40_000, 1);
    assertThat(TorrentCreator.of(file).create().bytes())
        .isEqualTo(TorrentCreator.of(file).create().bytes());
  }

  @Test
  void hashesTheInfoDictionaryAsWrittenEvenWhenItIsNotCanonical() throws Exception {
    // Keys out of order: re-encoding would sort them and change the hash.
    String info = "d4:name1:x6:lengthi1e12:piece lengthi16384e6:pieces20:" + "a".repeat(20) + "e";
    byte[] torrent = ("d4:info" + info + "e").getBytes(StandardCharsets.ISO_8859_1);
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-1")
                    .digest(info.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(Metainfo.parse(torrent).infoHash()).isEqualTo(expected);
  }

  @Test
  void buildsAMagnetLink(@TempDir Path dir) throws Exception {
    Path file = TestFiles.random(dir.resolve("b.tar.gz"), 1000, 1);
    Metainfo torrent =
        TorrentCreator.of(file)
            .name("my app.tar.gz")
            .announce("http://10.0.0.1:8080/announce")
            .webSeed("http://10.0.0.1:8080/b?x=1")
            .create();
    assertThat(torrent.magnetLink())
        .isEqualTo(
            "magnet:?xt=urn:btih:"
                + torrent.infoHash()
                + "&dn=my%20app.tar.gz"
                + "&tr=http%3A%2F%2F10.0.0.1%3A8080%2Fannounce"
                + "&ws=http%3A%2F%2F10.0.0.1%3A8080%2Fb%3Fx%3D1");
  }

  @Test
  void refusesWhatCastNeverMakes(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Metainfo.parse("d4:infod5:filesleee".getBytes()))
        .hasMessageContaining("multi-file");
    assertThatThrownBy(() -> Metainfo.parse("garbage".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
    Path file = TestFiles.random(dir.resolve("b.tar.gz"), 1000, 1);
    byte[] torrent = TorrentCreator.of(file).create().bytes();
    for (int cut : new int[] {1, 10, torrent.length / 2, torrent.length - 1}) {
      assertThatThrownBy(() -> Metainfo.parse(Arrays.copyOf(torrent, cut)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    Path empty = Files.createFile(dir.resolve("empty"));
    assertThatThrownBy(() -> TorrentCreator.of(empty).create())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TorrentCreator.of(empty).name("../x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
