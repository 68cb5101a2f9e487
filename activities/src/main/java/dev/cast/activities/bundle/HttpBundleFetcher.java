package dev.cast.activities.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/** Fetches bundles from the api over HTTP: {@code GET <apiBaseUrl><bundlePath>}. */
public final class HttpBundleFetcher implements BundleFetcher {
  private static final int BUFFER = 64 * 1024;

  private final URI apiBaseUrl;
  private final HttpClient http;

  public HttpBundleFetcher(URI apiBaseUrl) {
    this(apiBaseUrl, null);
  }

  /**
   * @param tls the certificates trusted for an {@code https://} api; null: the JVM's defaults
   */
  public HttpBundleFetcher(URI apiBaseUrl, SSLContext tls) {
    this.apiBaseUrl = apiBaseUrl;
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http =
        builder
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  @Override
  public void fetch(String bundlePath, Path target, Consumer<FetchProgress> progress)
      throws IOException {
    URI uri = resolve(bundlePath);
    HttpResponse<InputStream> response = send(HttpRequest.newBuilder(uri).GET().build());
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 404) {
        throw new BundleNotFoundException("GET " + uri + " answered 404");
      }
      if (status / 100 != 2) {
        String problem = new String(body.readNBytes(4096), StandardCharsets.UTF_8);
        if (problem.contains(STORED_BUNDLE_CORRUPT)) {
          throw new StoredBundleCorruptException(
              "GET " + uri + " answered " + status + ": " + detail(problem));
        }
        throw new IOException("GET " + uri + " answered " + status);
      }
      copy(
          body, target, response.headers().firstValueAsLong("Content-Length").orElse(-1), progress);
    }
  }

  /**
   * A small document from the api ({@code GET <apiBaseUrl><path>}), e.g. a release's .torrent.
   *
   * @throws BundleNotFoundException when the api answers 404
   */
  byte[] getSmall(String path, int maxBytes) throws IOException {
    URI uri = resolve(path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching " + uri);
    }
    if (response.statusCode() == 404) {
      throw new BundleNotFoundException("GET " + uri + " answered 404");
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException("GET " + uri + " answered " + response.statusCode());
    }
    if (response.body().length > maxBytes) {
      throw new IOException("GET " + uri + " answered " + response.body().length + " bytes");
    }
    return response.body();
  }

  /** The problem type the api answers for a bundle damaged on its disk. */
  static final String STORED_BUNDLE_CORRUPT = "STORED_BUNDLE_CORRUPT";

  /** The detail of a problem+json body, or the body itself. */
  private static String detail(String problem) {
    Matcher m = Pattern.compile("\"detail\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(problem);
    return m.find() ? m.group(1) : problem.strip();
  }

  URI resolve(String bundlePath) {
    String base = apiBaseUrl.toString();
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return URI.create(trimmed + (bundlePath.startsWith("/") ? "" : "/") + bundlePath);
  }

  private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + request.uri(), e);
    }
  }

  private static void copy(
      InputStream in, Path target, long total, Consumer<FetchProgress> progress)
      throws IOException {
    byte[] buffer = new byte[BUFFER];
    long done = 0;
    long start = System.nanoTime();
    try (OutputStream out = Files.newOutputStream(target)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        done += n;
        long nanos = Math.max(1, System.nanoTime() - start);
        progress.accept(FetchProgress.http(done, total, done * 1_000_000_000L / nanos));
      }
    }
  }
}
