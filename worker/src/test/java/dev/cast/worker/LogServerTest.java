package dev.cast.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogServerTest {
  @TempDir Path dataDir;
  private LogServer server;
  private Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    log = dataDir.resolve("apps/hello/logs/web.log");
    Files.createDirectories(log.getParent());
    Files.writeString(log, "one\ntwo\nthree\nfour\n");
    server = new LogServer(dataDir, "127.0.0.1", 0, null);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void servesTheLastLines() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/logs/hello/web?tail=2")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("three\nfour\n");
  }

  @Test
  void tailReachesIntoTheRotatedFile() throws Exception {
    Files.move(log, log.resolveSibling("web.log.1"));
    Files.writeString(log, "five\n");

    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/logs/hello/web?tail=3")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();

    assertThat(body).isEqualTo("three\nfour\nfive\n");
  }

  @Test
  void answers404ForAnUnknownLog() throws Exception {
    int status =
        http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/logs/hello/nope")).build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode();

    assertThat(status).isEqualTo(404);
  }

  @Test
  void followSendsNewLinesAcrossRotation() throws Exception {
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/logs/hello/web?tail=1&follow=true"))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              Iterator<String> it = response.body().iterator();
              while (it.hasNext()) {
                lines.add(it.next());
              }
            });
    reader.setDaemon(true);
    reader.start();
    assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("four");

    append(log, "five\n");
    assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("five");

    Path rotated = log.resolveSibling("web.log.1");
    Files.move(log, rotated);
    append(rotated, "six, written just before the writer switched files\n");
    append(log, "seven\n");

    assertThat(lines.poll(5, TimeUnit.SECONDS)).startsWith("six");
    assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("seven");
  }

  @Test
  void refusesARequestWithoutTheAgentToken() throws Exception {
    try (LogServer guarded = new LogServer(dataDir, "127.0.0.1", 0, "s3cret")) {
      URI uri = URI.create(guarded.url() + "/logs/hello/web?tail=1");
      int without =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
              .statusCode();
      HttpResponse<String> with =
          http.send(
              HttpRequest.newBuilder(uri).header("Authorization", "Bearer s3cret").build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(without).isEqualTo(401);
      assertThat(with.statusCode()).isEqualTo(200);
      assertThat(with.body()).isEqualTo("four\n");
    }
  }

  @Test
  void listensOnTheAgentsAddressOnly() {
    assertThat(server.boundTo().getAddress().getHostAddress())
        .as("not every interface: the agent's address")
        .isEqualTo("127.0.0.1");
    assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.boundTo().getPort());
  }

  @Test
  void warnsWhenItListensBeyondLoopback() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(LogServer.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try (LogServer open = new LogServer(dataDir, "0.0.0.0", "127.0.0.1", 0, null)) {
      assertThat(open.boundTo().getAddress().isAnyLocalAddress()).isTrue();
      assertThat(open.url()).startsWith("http://127.0.0.1:");
    } finally {
      logger.detachAppender(events);
    }

    assertThat(events.list)
        .extracting(e -> e.getLevel() + " " + e.getFormattedMessage())
        .singleElement()
        .asString()
        .startsWith("WARN the agent's log endpoint listens on ")
        .contains("over plain HTTP");
  }
}
