package dev.cast.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.activities.config.RegistryView;
import dev.cast.activities.config.ServiceInstance;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The api's registry as config templates read it, over its Consul-compatible HTTP API with this
 * host's own token (which reads the registry and writes nothing). One instance per rendering: it
 * keeps the highest {@code X-Consul-Index} it was answered with.
 */
final class ApiRegistry implements RegistryView {
  private static final ObjectMapper JSON = Jackson.newObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final String base;
  private final Supplier<String> token;
  private long index;

  private ApiRegistry(HttpClient http, String base, Supplier<String> token) {
    this.http = http;
    this.base = base;
    this.token = token;
  }

  /**
   * Fresh views of the api's registry, sharing one HTTP client.
   *
   * @param token this host's own token, null until the api gave it one
   */
  static Supplier<RegistryView> views(String apiUrl, SSLContext tls, Supplier<String> token) {
    HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
    String base = apiUrl.replaceAll("/+$", "");
    return () -> new ApiRegistry(http, base, token);
  }

  @Override
  public Optional<String> key(String key) throws IOException {
    HttpResponse<byte[]> answer = get("/v1/kv/" + path(key) + "?raw");
    return answer.statusCode() == 404
        ? Optional.empty()
        : Optional.of(new String(answer.body(), StandardCharsets.UTF_8));
  }

  @Override
  public Map<String, String> list(String prefix) throws IOException {
    HttpResponse<byte[]> answer = get("/v1/kv/" + path(prefix) + "?recurse");
    Map<String, String> out = new LinkedHashMap<>();
    if (answer.statusCode() == 404) {
      return out;
    }
    String stripped = stripSlashes(prefix);
    for (JsonNode entry : JSON.readTree(answer.body())) {
      String rest = entry.path("Key").asText().substring(stripped.length());
      if (!rest.isEmpty() && !rest.contains("/")) {
        JsonNode value = entry.get("Value");
        out.put(
            rest,
            value == null || value.isNull()
                ? ""
                : new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public List<ServiceInstance> healthy(String service) throws IOException {
    HttpResponse<byte[]> answer = get("/v1/health/service/" + path(service) + "?passing");
    List<ServiceInstance> out = new ArrayList<>();
    if (answer.statusCode() == 404) {
      return out;
    }
    for (JsonNode entry : JSON.readTree(answer.body())) {
      JsonNode s = entry.path("Service");
      String address = s.path("Address").asText("");
      out.add(
          new ServiceInstance(
              s.path("ID").asText(),
              entry.path("Node").path("Node").asText(),
              address.isEmpty() ? entry.path("Node").path("Address").asText() : address,
              s.path("Port").asInt(),
              JSON.convertValue(
                  s.path("Tags"),
                  JSON.getTypeFactory().constructCollectionType(List.class, String.class)),
              s.path("Meta").isObject()
                  ? JSON.convertValue(
                      s.path("Meta"),
                      JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class))
                  : Map.of()));
    }
    return out;
  }

  @Override
  public long index() {
    return index;
  }

  /** A 200 or a 404 (absent), keeping its index; anything else is an IOException. */
  private HttpResponse<byte[]> get(String pathAndQuery) throws IOException {
    String own = token.get();
    if (own == null) {
      throw new IOException(
          "this host has no token of its own yet (it has not registered with the api), so it"
              + " cannot read the registry");
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + own)
            .GET()
            .build();
    HttpResponse<byte[]> answer;
    try {
      answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the registry", e);
    }
    int status = answer.statusCode();
    if (status != 200 && status != 404) {
      throw new IOException(
          "the registry answered "
              + status
              + " to GET "
              + pathAndQuery
              + ": "
              + new String(answer.body(), StandardCharsets.UTF_8));
    }
    answer
        .headers()
        .firstValue("X-Consul-Index")
        .ifPresent(
            value -> {
              try {
                index = Math.max(index, Long.parseLong(value.trim()));
              } catch (NumberFormatException e) {
                // Not an index: nothing to keep.
              }
            });
    return answer;
  }

  /** A key or name as a URL path: each segment encoded; {@code .} and {@code ..} refused. */
  static String path(String name) {
    String stripped = stripSlashes(name);
    StringBuilder out = new StringBuilder();
    String[] segments = stripped.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "\"" + name + "\" is not a registry key: it has a \"" + segment + "\" segment");
      }
      if (i > 0) {
        out.append('/');
      }
      out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return out.toString();
  }

  /** Keys never start with a slash, as in consul-template. */
  private static String stripSlashes(String name) {
    int i = 0;
    while (i < name.length() && name.charAt(i) == '/') {
      i++;
    }
    return name.substring(i);
  }
}
