import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The example app: answers with its version. Started by Cast as `java Hello.java`. */
public class Hello {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
    String version = System.getenv().getOrDefault("CAST_VERSION", "dev");
    String host = System.getenv().getOrDefault("CAST_HOST", "localhost");
    String greeting = System.getenv().getOrDefault("GREETING", "hello");
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/health", exchange -> answer(exchange, 200, "ok\n"));
    String text = greeting + " from version " + version + " on " + host + "\n";
    server.createContext(
        "/",
        exchange -> {
          boolean root = exchange.getRequestURI().getPath().equals("/");
          answer(exchange, root ? 200 : 404, root ? text : "not found\n");
        });
    server.start();
    System.out.println("hello " + version + " listening on " + port);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
