import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeMap;
import sun.misc.Signal;

/**
 * The config example: serves the settings Cast rendered from the registry into
 * config/app.properties, reads them again on SIGHUP, and fails its health check while they say
 * mode=broken. Started by Cast as `java Settings.java` in its release dir.
 */
public class Settings {
  private static final Path FILE = Path.of("config/app.properties");
  private static volatile Properties settings = new Properties();

  public static void main(String[] args) throws IOException {
    load();
    Signal.handle(new Signal("HUP"), signal -> load());
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/health",
        exchange -> {
          boolean broken = "broken".equals(settings.getProperty("mode"));
          answer(exchange, broken ? 503 : 200, broken ? "mode=broken\n" : "ok\n");
        });
    server.createContext(
        "/",
        exchange -> {
          StringBuilder text = new StringBuilder();
          new TreeMap<>(settings).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
          text.append("pid=").append(ProcessHandle.current().pid()).append('\n');
          answer(exchange, 200, text.toString());
        });
    server.start();
    System.out.println("settings listening on " + port + ": " + settings);
  }

  private static void load() {
    Properties read = new Properties();
    try (Reader in = Files.newBufferedReader(FILE, StandardCharsets.UTF_8)) {
      read.load(in);
    } catch (IOException e) {
      System.out.println("cannot read " + FILE + ": " + e);
      return;
    }
    settings = read;
    System.out.println("settings loaded: " + read);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
