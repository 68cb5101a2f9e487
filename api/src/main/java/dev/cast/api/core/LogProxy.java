package dev.cast.api.core;

import dev.cast.api.db.HostDao;
import dev.cast.api.db.HostRow;
import dev.cast.api.errors.ApiException;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Streams a service's log from the agent of its host, which serves its log files. With follow, the
 * stream stays open and new lines pass through as they are written.
 */
public final class LogProxy {
  private final HostDao hosts;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public LogProxy(HostDao hosts) {
    this.hosts = hosts;
  }

  public StreamingOutput stream(String host, String app, String service, int tail, boolean follow) {
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
    return out -> {
      try (InputStream in = body) {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          // Follow means each line reaches the client as it is written.
          out.flush();
        }
      }
    };
  }

  private InputStream open(URI uri, String host) {
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
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
      throw new ApiException(
          503,
          "LOGS_UNAVAILABLE",
          "Service unavailable",
          "cannot read logs from the agent on " + host + ": " + e.getMessage(),
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
