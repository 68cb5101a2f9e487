package dev.cast.activities.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpBundleFetcherTest {
  static final byte[] BUNDLE = new byte[200_000];

  @TempDir Path dir;
  HttpServer server;
  HttpBundleFetcher fetcher;

  @BeforeEach
  void start() throws IOException {
    for (int i = 0; i < BUNDLE.length; i++) {
      BUNDLE[i] = (byte) i;
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/apps/hello/releases/1.0.0/bundle",
        exchange -> {
          exchange.sendResponseHeaders(200, BUNDLE.length);
          exchange.getResponseBody().write(BUNDLE);
          exchange.close();
        });
    server.createContext(
        "/api/v1/broken",
        exchange -> {
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    server.start();
    fetcher =
        new HttpBundleFetcher(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/"));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void streamsTheBundleToTheTargetAndReportsProgress() throws IOException {
    List<Long> progress = new ArrayList<>();

    fetcher.fetch(
        "/v1/apps/hello/releases/1.0.0/bundle",
        dir.resolve("b.part"),
        p -> progress.add(p.bytes()));

    assertThat(dir.resolve("b.part")).hasBinaryContent(BUNDLE);
    assertThat(progress).isSorted().last().isEqualTo((long) BUNDLE.length);
  }

  @Test
  void aMissingBundleIsBundleNotFound() {
    assertThatThrownBy(() -> fetcher.fetch("/v1/apps/hello/nope", dir.resolve("b"), n -> {}))
        .isInstanceOf(BundleNotFoundException.class)
        .hasMessageContaining("404");
  }

  @Test
  void anotherErrorIsAnOrdinaryIoException() {
    assertThatThrownBy(() -> fetcher.fetch("/v1/broken", dir.resolve("b"), n -> {}))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(BundleNotFoundException.class)
        .hasMessageContaining("500");
  }
}
