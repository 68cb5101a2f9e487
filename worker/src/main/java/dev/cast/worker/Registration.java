package dev.cast.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.workflows.host.AppReleases;
import dev.cast.workflows.host.ServiceStatus;
import dev.cast.workflows.host.StagingReport;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the api informed: registers the host, heartbeats, and sends the full state of the host's
 * services with every heartbeat and soon after any change.
 */
final class Registration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);
  static final String AGENT_VERSION = "0.1.0";
  private static final long CHANGE_DELAY_MILLIS = 50;

  private final HttpClient http;
  private final ObjectMapper json = Jackson.newObjectMapper();
  private final ScheduledExecutorService timer = daemon("cast-agent-heartbeat");
  // Staging progress goes on a thread of its own: a slow answer to one never holds up the
  // services' report, nor a heartbeat.
  private final ScheduledExecutorService stagingTimer = daemon("cast-agent-staging");
  // Whether services changed since the last report took its snapshot.
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final Coalesced reportSoon =
      new Coalesced(
          timer,
          CHANGE_DELAY_MILLIS,
          () -> {
            if (dirty.get()) {
              report(false);
            }
          });
  private final URI host;
  private final URI services;
  private final URI apps;
  private final URI staging;
  // The releases being fetched, by app and version, as last reported by StageRelease; sent at most
  // every STAGING_GAP_MILLIS, a fetch that ended once more and then dropped.
  private final Map<String, StagingReport> fetching = new ConcurrentHashMap<>();
  private static final long STAGING_GAP_MILLIS = 500;
  private final Coalesced stagingSoon =
      new Coalesced(stagingTimer, STAGING_GAP_MILLIS, this::sendStaging);
  private final Map<String, Object> identity;
  private final Supplier<Map<String, Object>> facts;
  private final Supplier<List<ServiceStatus>> statuses;
  private final Supplier<List<AppReleases>> releases;
  private volatile boolean registered;

  private final String authorization;
  // The host's own token, from its registration with the join token; kept across restarts.
  private final Path hostTokenFile;
  private volatile String hostToken;

  Registration(
      String apiUrl,
      SSLContext tls,
      String name,
      String address,
      String logsUrl,
      String token,
      Map<String, String> labels,
      Supplier<Map<String, Object>> facts,
      Supplier<List<ServiceStatus>> statuses,
      Supplier<List<AppReleases>> releases,
      Path hostTokenFile) {
    this.http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
    String base = apiUrl.replaceAll("/+$", "") + "/v1/hosts/" + name;
    this.host = URI.create(base);
    this.services = URI.create(base + "/services");
    this.apps = URI.create(base + "/apps");
    this.staging = URI.create(base + "/staging");
    this.statuses = statuses;
    this.releases = releases;
    this.authorization = "Bearer " + (token == null ? "" : token);
    this.hostTokenFile = hostTokenFile;
    try {
      if (hostTokenFile != null && Files.exists(hostTokenFile)) {
        String kept = Files.readString(hostTokenFile).trim();
        hostToken = kept.isEmpty() ? null : kept;
      }
    } catch (IOException e) {
      log.warn(
          "cannot read {}: {}; registering with the join token", hostTokenFile, e.getMessage());
    }
    this.identity =
        Map.of(
            "address",
            address,
            "agentVersion",
            AGENT_VERSION,
            "logsUrl",
            logsUrl,
            "labels",
            labels);
    this.facts = facts;
  }

  /** The registration, with facts read now: free disk changes between heartbeats. */
  private String body() {
    Map<String, Object> body = new LinkedHashMap<>(identity);
    body.put("facts", facts.get());
    try {
      return json.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Registers once now (so a deploy right after start finds the host), then heartbeats. */
  void start(int heartbeatSeconds) {
    beat();
    timer.scheduleWithFixedDelay(this::beat, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
  }

  /** A service changed state or health: report soon, coalescing bursts of changes. */
  void changed() {
    dirty.set(true);
    reportSoon.ask();
  }

  /**
   * A fetch of a release made progress or ended: the api hears of it within {@link
   * #STAGING_GAP_MILLIS} (a client follows it as a progress bar). Never blocks.
   */
  void staging(StagingReport report) {
    fetching.put(key(report), report);
    stagingSoon.ask();
  }

  private void sendStaging() {
    List<StagingReport> now = List.copyOf(fetching.values());
    if (registered) {
      try {
        put(staging, json.writeValueAsString(now));
      } catch (IOException | RuntimeException e) {
        log.warn("cannot report staging progress: {}", e.getMessage());
      }
    }
    // A fetch that ended was reported ended once (or, unregistered, had no one to tell); one that
    // moved on since stays.
    now.stream().filter(StagingReport::done).forEach(r -> fetching.remove(key(r), r));
  }

  /** What fetches are still to be reported: those going on, and an ended one until it is sent. */
  List<StagingReport> fetching() {
    return List.copyOf(fetching.values());
  }

  private static String key(StagingReport report) {
    return report.app() + "/" + report.version();
  }

  boolean registered() {
    return registered;
  }

  /** This host's own token, null until the api gave it one. */
  String hostToken() {
    return hostToken;
  }

  private void beat() {
    if (put(host, body()) && !registered) {
      registered = true;
      log.info("registered with the api at {}", host);
    }
    report(true);
  }

  /**
   * Reports the services now and returns once the api has them (or the attempt failed, which is
   * logged): for an activity that changed them, before it returns. Never throws.
   */
  void reportNow() {
    report(true);
  }

  // One report at a time, each with a snapshot taken once the one before was delivered: a report
  // never overtakes a newer one. The apps' releases (what current and previous point at) go with
  // every heartbeat and after every activity; a service's change of state sends its services only.
  private synchronized void report(boolean withReleases) {
    if (!registered) {
      return;
    }
    try {
      dirty.set(false);
      put(services, json.writeValueAsString(statuses.get()));
      if (withReleases) {
        put(apps, json.writeValueAsString(releases.get()));
      }
    } catch (IOException | RuntimeException e) {
      log.warn("cannot report services: {}", e.getMessage());
    }
  }

  private boolean put(URI uri, String text) {
    String own = hostToken;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("Authorization", own == null ? authorization : "Bearer " + own)
              .PUT(HttpRequest.BodyPublishers.ofString(text))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      response.headers().firstValue("Cast-Host-Token").ifPresent(this::keepHostToken);
      if (response.statusCode() == 401 && own != null) {
        log.warn(
            "the api does not know this host's token any more (the host was removed?);"
                + " registering again with the join token");
        dropHostToken();
        return false;
      }
      if (response.statusCode() / 100 != 2) {
        log.warn("api refused {} ({}): {}", uri, response.statusCode(), response.body());
        return false;
      }
      return true;
    } catch (IOException e) {
      if (ApiTrust.untrusted(e)) {
        log.error(
            "refusing the api at {}: its TLS certificate is not trusted ({}); give the agent the"
                + " api's CA with --ca-cert (agent.caCert); retrying",
            uri,
            e.getMessage());
      } else {
        log.warn("cannot reach the api at {}: {}; retrying", uri, e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private void keepHostToken(String token) {
    hostToken = token;
    if (hostTokenFile == null) {
      return;
    }
    try {
      Path dir = hostTokenFile.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp =
          Files.createTempFile(
              dir,
              ".host-token-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, token + "\n");
        Files.move(temp, hostTokenFile, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      log.info("registered: this host's own token is kept in {}", hostTokenFile);
    } catch (IOException e) {
      log.warn("cannot keep the host's token in {}: {}", hostTokenFile, e.getMessage());
    }
  }

  private void dropHostToken() {
    hostToken = null;
    registered = false;
    try {
      if (hostTokenFile != null) {
        Files.deleteIfExists(hostTokenFile);
      }
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", hostTokenFile, e.getMessage());
    }
  }

  private static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void close() {
    timer.shutdownNow();
    stagingTimer.shutdownNow();
  }
}
