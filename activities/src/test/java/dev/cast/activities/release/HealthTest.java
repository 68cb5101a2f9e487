package dev.cast.activities.release;

import static dev.cast.activities.testing.Failures.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cast.activities.testing.HostTest;
import dev.cast.workflows.host.HealthReport;
import dev.cast.workflows.host.HealthRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HealthTest extends HostTest {

  static String service(String command, String health) {
    return """
        name: hello
        version: "0"
        services:
          web:
            command: %s
            ports: [http]
            health: %s
        """
        .formatted(command, health);
  }

  HealthReport awaitHealthy(long deadlineMillis) {
    return host.activities.awaitHealthy(new HealthRequest("hello", "v1", deadlineMillis));
  }

  @Test
  void passesOnceTheCheckPasses() throws Exception {
    List<Object> heartbeats = new CopyOnWriteArrayList<>();
    host.env.setActivityHeartbeatListener(List.class, heartbeats::add);
    host.deploy(
        "hello",
        "v1",
        service(
            "[\"sh\", \"-c\", \"sleep 0.5; touch ready; exec sleep 1000\"]",
            "{command: [\"test\", \"-f\", \"ready\"], interval: 10s}"));

    HealthReport report = awaitHealthy(30_000);

    assertThat(report.services()).hasSize(1);
    assertThat(report.services().get(0).service()).isEqualTo("web");
    assertThat(report.services().get(0).status()).isEqualTo("passing");
    assertThat(heartbeats)
        .as("heartbeats name the services still waiting")
        .contains(List.of("web"));
  }

  @Test
  void aServiceWithoutACheckPassesWhileItRuns() throws Exception {
    host.deploy("hello", "v1", ActivationTest.SLEEPER);

    HealthReport report = awaitHealthy(10_000);

    assertThat(report.services())
        .extracting(HealthReport.ServiceHealth::status)
        .containsExactly("passing");
  }

  @Test
  void failsFastWithServiceExitedWhenTheServiceDies() throws Exception {
    host.deploy(
        "hello",
        "v1",
        service(
            "[\"sh\", \"-c\", \"echo cannot open database; exit 3\"]", "{command: [\"false\"]}"));

    Instant before = Instant.now();
    ApplicationFailure failure = applicationFailure(() -> awaitHealthy(60_000));

    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(20));
    assertThat(failure.getType()).isEqualTo("SERVICE_EXITED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("web", "exited with code 3", "cannot open database");
  }

  @Test
  void failsWithServiceUnhealthyOnceTheDeadlinePasses() throws Exception {
    host.deploy(
        "hello",
        "v1",
        service("[\"sleep\", \"1000\"]", "{command: [\"sh\", \"-c\", \"echo not yet; exit 1\"]}"));

    Instant before = Instant.now();
    ApplicationFailure failure = applicationFailure(() -> awaitHealthy(1_000));

    assertThat(Duration.between(before, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(failure.getType()).isEqualTo("SERVICE_UNHEALTHY");
    assertThat(failure.getOriginalMessage())
        .startsWith("web: ")
        .contains("exited with code 1", "not yet");
  }

  @Test
  void checksARealHttpServerOnItsAllocatedPort() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String server =
        """
        import com.sun.net.httpserver.HttpServer;
        import java.net.InetSocketAddress;

        public class Server {
          public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(System.getenv("PORT_HTTP"));
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/health", exchange -> {
              exchange.sendResponseHeaders(204, -1);
              exchange.close();
            });
            server.start();
          }
        }
        """;
    host.stage(
        "hello",
        "v1",
        service(
            "[\"" + java + "\", \"Server.java\"]",
            "{http: {port: http, path: /health}, timeout: 2s}"),
        Map.of("Server.java", server));
    int port = ActivationTest.port(host.activate("hello", "v1"), "http");

    HealthReport report = awaitHealthy(60_000);

    assertThat(report.services().get(0).output())
        .isEqualTo("GET http://127.0.0.1:" + port + "/health answered 204");
  }
}
