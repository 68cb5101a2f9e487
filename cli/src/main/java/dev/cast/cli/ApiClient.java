package dev.cast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * A small client of Cast's REST API, for the {@code cast} commands, the demo and the benchmarks.
 */
public final class ApiClient {
  private static final Set<String> FINAL =
      Set.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "CANCELLED", "INTERRUPTED");

  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final String base;
  private final String token;

  public ApiClient(String base) {
    this(base, null, null);
  }

  /** A client that sends {@code Authorization: Bearer <token>} with every call. */
  public ApiClient(String base, String token) {
    this(base, token, null);
  }

  /**
   * @param tls the certificates trusted for an {@code https://} base (e.g. a private CA); null: the
   *     JVM's defaults
   */
  public ApiClient(String base, SSLContext tls) {
    this(base, null, tls);
  }

  /** A client with a token (or none) and the certificates it trusts (null: the JVM's). */
  public ApiClient(String base, String token, SSLContext tls) {
    this.base = base.replaceAll("/+$", "");
    this.token = token;
    this.http =
        tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(tls).build();
  }

  /** The {@code Authorization} header value this client sends, or null. */
  public String authorization() {
    return token == null ? null : "Bearer " + token;
  }

  /** A response: status and parsed JSON body. */
  public record Reply(int status, JsonNode body, String location) {}

  public Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Reply postJson(String path, Object body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  public Reply pushBundle(String app, Path bundle) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri("/v1/apps/" + app + "/releases"))
            .header("Content-Type", "application/gzip")
            .POST(HttpRequest.BodyPublishers.ofFile(bundle)));
  }

  /** Polls a deployment until it reaches a final state. */
  public JsonNode awaitDeployment(String id, Duration timeout)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode body = get("/v1/deployments/" + id).body();
      if (FINAL.contains(body.path("state").asText()) || System.nanoTime() > end) {
        return body;
      }
      Thread.sleep(20);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  /** A blocking registry read's answer: its status, body and {@code X-Consul-Index}. */
  public record Watched(int status, JsonNode body, long index) {}

  /**
   * A registry read that blocks until the result's index passes {@code index} or {@code wait}
   * passes ({@code ?index=&wait=}, as Consul's blocking queries); a 404 body is null.
   */
  public Watched watch(String path, long index, Duration wait)
      throws IOException, InterruptedException {
    String query =
        (path.contains("?") ? "&" : "?") + "index=" + index + "&wait=" + wait.toSeconds() + "s";
    HttpResponse<String> response =
        exchange(HttpRequest.newBuilder(uri(path + query)).GET(), wait.plusSeconds(30));
    JsonNode body = response.statusCode() == 404 ? json.nullNode() : bodyOf(response);
    long at = response.headers().firstValueAsLong("X-Consul-Index").orElse(index);
    return new Watched(response.statusCode(), body, at);
  }

  /** PUT of a raw body (a registry value). */
  public Reply putBytes(String path, byte[] body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public Reply delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = exchange(request, Duration.ofSeconds(30));
    return new Reply(
        response.statusCode(),
        bodyOf(response),
        response.headers().firstValue("Location").orElse(null));
  }

  /** Sends {@code request} with the token, waiting at most {@code timeout} for the answer. */
  private HttpResponse<String> exchange(HttpRequest.Builder request, Duration timeout)
      throws IOException, InterruptedException {
    if (token != null) {
      request.header("Authorization", authorization());
    }
    return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The answer's JSON; null when empty, and the text itself for an error that is not JSON. */
  private JsonNode bodyOf(HttpResponse<String> response) throws IOException {
    String text = response.body();
    if (text == null || text.isBlank()) {
      return json.nullNode();
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      if (response.statusCode() < 400) {
        throw e;
      }
      return json.getNodeFactory().textNode(text);
    }
  }
}
