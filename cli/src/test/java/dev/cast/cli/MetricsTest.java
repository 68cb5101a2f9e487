package dev.cast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics} on the admin port, after a deploy: scraped as Prometheus does and parsed
 * with the Prometheus project's own parser (Python's prometheus_client, which .ci/run installs).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MetricsTest {
  private static final CastServerHarness CAST = new CastServerHarness();
  static final DropwizardAppExtension<ServerConfiguration> APP = CAST.app;

  @AfterAll
  static void stopServices() throws Exception {
    CAST.killServices();
  }

  private record Sample(String name, Map<String, String> labels, double value) {}

  @Test
  void aScrapeAfterADeployCountsItAndDescribesTheFleet() throws Exception {
    assumeTrue(
        parserAvailable(),
        "python3 with prometheus_client is needed (pip install prometheus-client)");
    CAST.deployExample();

    HttpResponse<String> scrape = CAST.scrapeMetrics();
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    List<Sample> samples = parse(scrape.body());

    assertThat(
            value(
                samples,
                "cast_deployments_started_total",
                Map.of("kind", "deploy", "app", "hello")))
        .isEqualTo(1.0);
    assertThat(
            value(
                samples,
                "cast_deployments_finished_total",
                Map.of("kind", "deploy", "app", "hello", "state", "SUCCEEDED")))
        .isEqualTo(1.0);
    assertThat(
            value(
                samples,
                "cast_deployment_duration_seconds_count",
                Map.of("kind", "deploy", "state", "SUCCEEDED")))
        .isEqualTo(1.0);
    assertThat(
            value(
                samples,
                "cast_deployment_duration_seconds_sum",
                Map.of("kind", "deploy", "state", "SUCCEEDED")))
        .isPositive();
    assertThat(value(samples, "cast_hosts", Map.of("state", "up"))).isEqualTo(1.0);
    assertThat(value(samples, "cast_hosts", Map.of("state", "down"))).isEqualTo(0.0);
    assertThat(value(samples, "cast_services", Map.of("state", "running"))).isEqualTo(1.0);
    assertThat(
            value(
                samples,
                "cast_service_restarts",
                Map.of("app", "hello", "service", "web", "host", "local")))
        .isEqualTo(0.0);
    assertThat(value(samples, "cast_registry_blocking_watchers", Map.of())).isEqualTo(0.0);
    assertThat(value(samples, "cast_bundle_bytes_served_total", Map.of("source", "http")))
        .isGreaterThanOrEqualTo(0.0);
    assertThat(value(samples, "jvm_memory_bytes_used", Map.of("area", "heap"))).isPositive();
    // Dropwizard's own metrics (Jetty's requests), through Prometheus' bridge.
    assertThat(
            value(
                samples,
                "io_dropwizard_jetty_MutableServletContextHandler_2xx_responses_total",
                Map.of()))
        .isPositive();
  }

  private static double value(List<Sample> samples, String name, Map<String, String> labels) {
    List<Sample> found =
        samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
    assertThat(found).as(name + labels + " among " + names(samples)).hasSize(1);
    return found.get(0).value();
  }

  private static List<String> names(List<Sample> samples) {
    return samples.stream()
        .map(Sample::name)
        .filter(n -> n.startsWith("cast_") || n.startsWith("jvm_"))
        .limit(60)
        .distinct()
        .toList();
  }

  private static boolean parserAvailable() throws Exception {
    try {
      Process check =
          new ProcessBuilder("python3", "-c", "import prometheus_client.parser")
              .redirectErrorStream(true)
              .start();
      return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static List<Sample> parse(String text) throws Exception {
    Process parser =
        new ProcessBuilder("python3", ResourceHelpers.resourceFilePath("parse_metrics.py"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (var in = parser.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(parser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(parser.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(parser.exitValue()).as("Prometheus' parser refused the text").isZero();
    // A gauge with nothing to show yet (a rate before any request) is NaN, which the format allows.
    ObjectMapper json =
        JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    List<Sample> samples = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = json.readTree(line);
      Map<String, String> labels = json.convertValue(node.path("labels"), Map.class);
      samples.add(new Sample(node.path("name").asText(), labels, node.path("value").asDouble()));
    }
    return samples;
  }
}
