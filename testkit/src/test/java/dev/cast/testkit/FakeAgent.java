package dev.cast.testkit;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Stands in for {@code cast agent} in the fleet's own tests: it starts a detached "service" that
 * names its data dir (as Cast's service wrappers do), serves its name over HTTP on its address,
 * writes that port to {@code <dataDir>/port} and registers with the fake api.
 */
public final class FakeAgent {
  private FakeAgent() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i < args.length - 1; i++) {
      if (args[i].startsWith("--")) {
        flags.put(args[i].substring(2), args[i + 1]);
      }
    }
    Path dataDir = Path.of(flags.get("data-dir"));
    String name = flags.get("name");
    new ProcessBuilder("setsid", "bash", "-c", "sleep 600; : " + dataDir.resolve("service"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
    byte[] body = ("hello from " + name).getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    Files.writeString(dataDir.resolve("port"), Integer.toString(server.getAddress().getPort()));
    HttpResponse<String> registered =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(flags.get("api") + "/v1/hosts/" + name))
                    .PUT(HttpRequest.BodyPublishers.ofString(flags.get("address")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    System.out.println("registered: " + registered.statusCode());
    Thread.sleep(Long.MAX_VALUE);
  }
}
