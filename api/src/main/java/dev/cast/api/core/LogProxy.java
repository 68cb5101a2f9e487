package dev.cast.api.core;

import dev.cast.api.db.HostDao;
import dev.cast.api.db.HostRow;
import dev.cast.api.errors.ApiException;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * Streams a service's log from the agent of its host, which serves its log files. With follow, the
 * stream stays open and new lines pass through as they are written.
 */
public final class LogProxy implements Managed {
  private final HostDao hosts;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService copier =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "cast-log-proxy");
            t.setDaemon(true);
            return t;
          });

  private final String agentToken;

  public LogProxy(HostDao hosts, String agentToken) {
    this.hosts = hosts;
    this.agentToken = agentToken;
  }

  /**
   * The log's last {@code tail} lines as bytes, or with {@code follow} a {@link ChunkedOutput} that
   * keeps streaming new lines.
   */
  public Object stream(String host, String app, String service, int tail, boolean follow) {
    HostRow row =
        hosts
            .find(host)
            .orElseThrow(() -> ApiException.notFound("HOST_NOT_FOUND", "no host \"" + host + "\""));
    if (row.logsUrl() == null) {
      throw new ApiException(
          503,
          "LOGS_UNAVAILABLE",
          "Service unavailable",
          "the agent on " + host + " does not serve logs (it registered without a logs URL)",
          null);
    }
    URI uri =
        URI.create(
            row.logsUrl().replaceAll("/+$", "")
                + "/logs/"
                + enc(app)
                + "/"
                + enc(service)
                + "?tail="
                + tail
                + "&follow="
                + follow);
    InputStream body = open(uri, host);
    if (!follow) {
      try (InputStream in = body) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw unavailable(host, e);
      }
    }
    open.add(body);
    // A chunked output commits the response at once, so a follower with nothing to read yet
    // still gets its headers, and every chunk is flushed to the client as it comes.
    ChunkedOutput<byte[]> output = new ChunkedOutput<>(byte[].class);
    copier.execute(() -> copy(body, output));
    return output;
  }

  /** Ends every stream still open, so the server can stop without waiting for followers. */
  @Override
  public void stop() {
    for (InputStream body : open) {
      try {
        body.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    copier.shutdownNow();
  }

  private void copy(InputStream body, ChunkedOutput<byte[]> output) {
    try (InputStream in = body;
        output) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0 && !output.isClosed()) {
        output.write(Arrays.copyOf(buffer, n));
      }
    } catch (IOException e) {
      // The client or the agent went away; either ends the stream.
    } finally {
      open.remove(body);
    }
  }

  private InputStream open(URI uri, String host) {
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + agentToken).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() == 404) {
        response.body().close();
        throw ApiException.notFound("LOG_NOT_FOUND", "no log yet for that service on " + host);
      }
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IOException("agent answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw unavailable(host, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ApiException unavailable(String host, IOException e) {
    return new ApiException(
        503,
        "LOGS_UNAVAILABLE",
        "Service unavailable",
        "cannot read logs from the agent on " + host + ": " + e.getMessage(),
        null);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
