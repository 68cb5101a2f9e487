package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cast.testkit.TempDirs;
import dev.cast.torrent.Metainfo;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pushed release gets a v1 torrent whose tracker and web seed are at the address the client used,
 * the release JSON names its info-hash and magnet link, and the api's tracker serves Cast's own
 * info-hashes only.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DistributionTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static JsonNode release;

  @BeforeAll
  static void pushARelease() throws Exception {
    Path bundle = TempDirs.create("cast-dist-").resolve("hello.tar.gz");
    Main.Bundles.pack(Path.of("../examples/hello"), null, "1.0.0", bundle);
    ApiClient.Reply pushed = CAST.api().pushBundle("hello", bundle);
    assertThat(pushed.status()).isEqualTo(201);
    release = pushed.body();
  }

  @AfterAll
  static void stop() throws Exception {
    CAST.killServices();
  }

  private static String base() {
    return "http://127.0.0.1:" + APP.getLocalPort();
  }

  @Test
  void theTorrentDescribesTheBundleWithTrackerAndWebSeedWhereTheClientReachedTheApi()
      throws Exception {
    byte[] bytes =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + release.path("torrent").asText()))
                    .header("Authorization", CAST.authorization())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();
    Metainfo torrent = Metainfo.parse(bytes);

    assertThat(torrent.infoHash()).isEqualTo(release.path("infoHash").asText()).hasSize(40);
    assertThat(torrent.name()).isEqualTo(release.path("sha256").asText() + ".tar.gz");
    assertThat(torrent.length()).isEqualTo(release.path("size").asLong());
    assertThat(torrent.announce()).isEqualTo(base() + "/announce");
    // The web seed cannot send a token: its URL carries the release's capability instead.
    assertThat(torrent.webSeeds()).hasSize(1);
    assertThat(torrent.webSeeds().get(0))
        .startsWith(base() + "/v1/apps/hello/releases/1.0.0/bundle?cap=");
    assertThat(release.path("magnet").asText())
        .startsWith("magnet:?xt=urn:btih:" + torrent.infoHash());

    byte[] webSeeded =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(torrent.webSeeds().get(0))).build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(webSeeded)))
        .isEqualTo(release.path("sha256").asText());
    for (String url :
        List.of(
            base() + "/v1/apps/hello/releases/1.0.0/bundle",
            base() + "/v1/apps/hello/releases/1.0.0/bundle?cap=4102444800.forged",
            base() + "/v1/apps/hello/releases/1.0.0/torrent")) {
      assertThat(
              HTTP.send(
                      HttpRequest.newBuilder(URI.create(url)).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode())
          .as("a bundle is not for whoever asks: " + url)
          .isEqualTo(401);
    }
  }

  @Test
  void theTrackerServesCastsInfoHashesOnly() throws Exception {
    String known = announce(release.path("infoHash").asText());
    String unknown = announce("00112233445566778899aabbccddeeff00112233");

    assertThat(known).doesNotContain("failure reason").contains("8:intervali");
    assertThat(unknown).contains("failure reason").contains("unregistered torrent");
  }

  @Test
  void theApiSaysWhetherItSeedsAndCountsWhatItSent() throws Exception {
    JsonNode counters = CAST.api().get("/v1/distribution").body();

    assertThat(counters.path("bittorrent").asText()).isEqualTo("available");
    assertThat(counters.has("seederUploadedBytes")).isTrue();
    assertThat(counters.path("swarms").has(release.path("infoHash").asText())).isTrue();
  }

  private static String announce(String infoHash) throws Exception {
    byte[] hash = HexFormat.of().parseHex(infoHash);
    String query =
        "info_hash="
            + URLEncoder.encode(
                new String(hash, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1)
            + "&peer_id=-CT0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=100&compact=1";
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base() + "/announce?" + query)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1))
        .body();
  }
}
