package dev.cast.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cast.cli.ApiClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where a client command finds the api and its token: {@code --api}/{@code --token}, else {@code
 * CAST_API}/{@code CAST_TOKEN}, else what {@code cast login} saved ({@code ~/.config/cast/config},
 * or {@code $CAST_CONFIG}), else {@code http://127.0.0.1:8080} with the token of a server on this
 * machine ({@code data/admin-token}).
 */
public final class Connection {
  static final String DEFAULT_API = "http://127.0.0.1:8080";

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "the api, e.g. https://cast.example.com (or CAST_API, or the saved login)")
  String api;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "a token (or CAST_TOKEN, or the saved login)")
  String token;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default) or json")
  String output = "text";

  private final ObjectMapper json = new ObjectMapper();

  /** The saved login's file. */
  static Path configFile() {
    String set = System.getenv("CAST_CONFIG");
    if (set != null && !set.isBlank()) {
      return Path.of(set);
    }
    return Path.of(System.getProperty("user.home"), ".config", "cast", "config");
  }

  static Properties saved() {
    Properties saved = new Properties();
    Path file = configFile();
    if (Files.isRegularFile(file)) {
      try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        saved.load(in);
      } catch (IOException e) {
        throw new CliFailure(CliFailure.BAD_INPUT, "cannot read " + file + ": " + e.getMessage());
      }
    }
    return saved;
  }

  /** Saves the api and the token for later commands, readable by this user only. */
  static Path save(String api, String token) throws IOException {
    Path file = configFile();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Properties props = new Properties();
    props.setProperty("api", api);
    props.setProperty("token", token);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (var out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      props.store(out, "cast login");
    }
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  String api() {
    return first(api, System.getenv("CAST_API"), saved().getProperty("api"), DEFAULT_API)
        .replaceAll("/+$", "");
  }

  String token() {
    String local = null;
    Path adminToken = Path.of("data", "admin-token");
    if (Files.isReadable(adminToken)) {
      try {
        local = Files.readString(adminToken).trim();
      } catch (IOException e) {
        local = null;
      }
    }
    return first(token, System.getenv("CAST_TOKEN"), saved().getProperty("token"), local);
  }

  boolean json() {
    return "json".equalsIgnoreCase(output);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  ApiClient client() {
    return new ApiClient(api(), token());
  }

  /** A call to the api; a refusal or an unreachable api becomes a {@link CliFailure}. */
  interface Call {
    ApiClient.Reply run(ApiClient client) throws IOException, InterruptedException;
  }

  ApiClient.Reply call(Call call) {
    try {
      ApiClient.Reply reply = call.run(client());
      if (reply.status() >= 400) {
        throw refused(reply);
      }
      return reply;
    } catch (IOException | InterruptedException e) {
      throw failed(e);
    }
  }

  /** A text answer, line by line as it arrives (a followed log). */
  void stream(String path, java.util.function.Consumer<String> lines) {
    try {
      java.net.http.HttpRequest.Builder request =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(api() + path));
      String token = token();
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      java.net.http.HttpResponse<java.util.stream.Stream<String>> response =
          java.net.http.HttpClient.newHttpClient()
              .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() >= 400) {
        String body = String.join("\n", response.body().toList());
        JsonNode problem;
        try {
          problem = json.readTree(body);
        } catch (IOException e) {
          problem = json.getNodeFactory().textNode(body);
        }
        throw refused(new ApiClient.Reply(response.statusCode(), problem, null));
      }
      response.body().forEach(lines);
    } catch (IOException | InterruptedException e) {
      throw failed(e);
    }
  }

  /** A call that never got its answer, as the exit code and line it ends the command with. */
  private CliFailure failed(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new CliFailure(CliFailure.FAILED, "interrupted");
    }
    if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
      return new CliFailure(
          CliFailure.UNREACHABLE,
          "cannot reach the api at " + api() + "; is `cast server` running there? (--api URL)");
    }
    return new CliFailure(
        CliFailure.UNREACHABLE, "the api at " + api() + " did not answer: " + e.getMessage());
  }

  /** How long one blocking registry read waits for a change before it is asked again. */
  private static final java.time.Duration WATCH_WAIT = java.time.Duration.ofMinutes(5);

  /**
   * A blocking registry read at {@code path} past {@code index}; a key that does not exist is an
   * answer (a null body), not a failure.
   */
  ApiClient.Watched watch(String path, long index) {
    try {
      ApiClient.Watched answer = client().watch(path, index, WATCH_WAIT);
      if (answer.status() >= 400 && answer.status() != 404) {
        throw refused(new ApiClient.Reply(answer.status(), answer.body(), null));
      }
      return answer;
    } catch (IOException | InterruptedException e) {
      throw failed(e);
    }
  }

  JsonNode get(String path) {
    return call(c -> c.get(path)).body();
  }

  /** The api's problem detail in one line, with the fix where the status suggests one. */
  CliFailure refused(ApiClient.Reply reply) {
    JsonNode body = reply.body();
    String type = body.path("type").asText("");
    String kind = type.isEmpty() ? "" : type.substring(type.lastIndexOf('/') + 1) + ": ";
    String detail = body.path("detail").asText(body.isTextual() ? body.asText() : body.toString());
    String fix =
        switch (reply.status()) {
          case 401 -> " (log in: cast login --api " + api() + " --token TOKEN)";
          case 403 -> " (ask an admin for a token with that role)";
          default -> "";
        };
    int code = reply.status() >= 500 ? CliFailure.FAILED : CliFailure.BAD_INPUT;
    return new CliFailure(code, reply.status() + " " + kind + detail + fix);
  }

  ObjectNode object(Map<String, ?> fields) {
    ObjectNode node = json.createObjectNode();
    fields.forEach((k, v) -> node.set(k, json.valueToTree(v)));
    return node;
  }

  String pretty(JsonNode node) {
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException e) {
      return node.toString();
    }
  }
}
