package dev.cast.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cast.workflows.host.StagingReport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the agent tells the api, against a real HTTP server standing in for the api. */
class RegistrationTest {
  private HttpServer api;
  private final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
  private final CountDownLatch stagingHeld = new CountDownLatch(1);
  private final CountDownLatch releaseStaging = new CountDownLatch(1);

  @AfterEach
  void stop() {
    releaseStaging.countDown();
    if (api != null) {
      api.stop(0);
    }
  }

  @Test
  void aSlowAnswerToStagingProgressDoesNotHoldUpTheServicesReport() throws Exception {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.setExecutor(Executors.newCachedThreadPool());
    api.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          exchange.getRequestBody().readAllBytes();
          if (path.endsWith("/staging")) {
            stagingHeld.countDown();
            await(releaseStaging); // the api is slow to take staging progress
          }
          heard.add(path);
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    api.start();
    try (Registration registration =
        registration("http://127.0.0.1:" + api.getAddress().getPort())) {
      registration.start(3600);
      assertThat(registration.registered()).isTrue();
      heard.clear();

      registration.staging(report(false));
      assertThat(stagingHeld.await(5, TimeUnit.SECONDS)).isTrue();
      registration.changed();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!heard.contains("/v1/hosts/h1/services") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(heard).contains("/v1/hosts/h1/services").doesNotContain("/v1/hosts/h1/staging");
    }
  }

  @Test
  void anEndedFetchIsForgottenEvenWhenThereWasNoApiToTell() throws Exception {
    try (Registration registration = registration("http://127.0.0.1:1")) {
      registration.staging(report(true));
      assertThat(registration.fetching()).hasSize(1);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!registration.fetching().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(registration.fetching()).isEmpty();
    }
  }

  private static Registration registration(String apiUrl) throws Exception {
    return new Registration(
        apiUrl,
        javax.net.ssl.SSLContext.getDefault(),
        "h1",
        "127.0.0.1",
        "http://127.0.0.1:1/logs",
        "join-token",
        Map.of(),
        Map::of,
        List::of,
        List::of,
        null);
  }

  private static StagingReport report(boolean done) {
    return new StagingReport("hello", "1.0.0", done ? 10 : 5, 10, 1, 0, "http", Map.of(), done);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
