package dev.cast.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers the host with the api and keeps heartbeating, so deploys can target it. */
final class Registration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);
  static final String AGENT_VERSION = "0.1.0";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "cast-agent-heartbeat");
            t.setDaemon(true);
            return t;
          });
  private final URI endpoint;
  private final String body;
  private volatile boolean registered;

  Registration(String apiUrl, String name, String address) {
    this.endpoint = URI.create(apiUrl.replaceAll("/+$", "") + "/v1/hosts/" + name);
    this.body = "{\"address\":\"" + address + "\",\"agentVersion\":\"" + AGENT_VERSION + "\"}";
  }

  /** Registers once now (so a deploy right after start finds the host), then heartbeats. */
  void start(int heartbeatSeconds) {
    beat();
    timer.scheduleWithFixedDelay(this::beat, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
  }

  boolean registered() {
    return registered;
  }

  private void beat() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        log.warn("api refused registration ({}): {}", response.statusCode(), response.body());
      } else if (!registered) {
        registered = true;
        log.info("registered with the api at {}", endpoint);
      }
    } catch (IOException e) {
      log.warn("cannot reach the api at {}: {}; retrying", endpoint, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
