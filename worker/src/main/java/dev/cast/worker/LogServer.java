package dev.cast.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cast.bundle.NameRules;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves this host's service logs to the api: {@code GET /logs/<app>/<service>?tail=N&follow=b}.
 * Follow keeps the response open and sends lines as they are written, across rotation: when the log
 * file is renamed away, the rest of the old file is sent, then the new file from its start.
 */
public final class LogServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogServer.class);
  private static final long POLL_MILLIS = 100;

  private final Path dataDir;
  private final HttpServer server;
  private final ExecutorService threads;
  private final String advertised;
  private volatile boolean closed;

  private final byte[] token;

  /**
   * A server on {@code address} itself, the address the api reaches it at.
   *
   * @param token the agent token the api must send; null or empty refuses nobody (tests)
   */
  public LogServer(Path dataDir, String address, int port, String token) throws IOException {
    this(dataDir, address, address, port, token);
  }

  /**
   * @param bind the address to listen on ({@code 0.0.0.0}: every interface)
   * @param address the address the api reaches it at
   * @param token the agent token the api must send; null or empty refuses nobody (tests)
   */
  public LogServer(Path dataDir, String bind, String address, int port, String token)
      throws IOException {
    this.dataDir = dataDir;
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    InetSocketAddress on = new InetSocketAddress(bind, port);
    if (on.isUnresolved()) {
      throw new IOException("the log endpoint's address " + bind + " does not resolve");
    }
    this.server = HttpServer.create(on, 0);
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "cast-agent-logs");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/logs/", this::handle);
    server.start();
    this.advertised = "http://" + urlHost(address) + ":" + server.getAddress().getPort();
    if (!server.getAddress().getAddress().isLoopbackAddress()) {
      log.warn(
          "the agent's log endpoint listens on {} over plain HTTP: service logs and the agent"
              + " token the api sends cross the network unencrypted; keep it on a private network",
          server.getAddress());
    }
  }

  private static String urlHost(String address) {
    return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
  }

  /** The address and port it listens on. */
  InetSocketAddress boundTo() {
    return server.getAddress();
  }

  /** The base URL the api uses to reach this server. */
  public String url() {
    return advertised;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!authorized(exchange)) {
        send(exchange, 401, "send Authorization: Bearer <agent token>\n");
        return;
      }
      String[] parts = exchange.getRequestURI().getPath().split("/");
      if (parts.length != 4 || !NameRules.isApp(parts[2]) || !NameRules.isService(parts[3])) {
        send(exchange, 404, "use /logs/<app>/<service>\n");
        return;
      }
      Path file =
          dataDir.resolve("apps").resolve(parts[2]).resolve("logs").resolve(parts[3] + ".log");
      if (!Files.exists(file)) {
        send(exchange, 404, "no log for " + parts[2] + "/" + parts[3] + " on this host\n");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI());
      int tail = Integer.parseInt(query.getOrDefault("tail", "100"));
      boolean follow = Boolean.parseBoolean(query.getOrDefault("follow", "false"));
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      long position = Files.size(file);
      Object key = key(file);
      out.write(LogFiles.tail(file, tail).getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (follow) {
        follow(file, position, key, out);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("log request ended: {}", e.getMessage());
    }
  }

  private boolean authorized(HttpExchange exchange) {
    if (token == null) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null
        && header.startsWith("Bearer ")
        && MessageDigest.isEqual(
            token, header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends what is appended to the log until the client goes away or the server closes. */
  private void follow(Path file, long from, Object key, OutputStream out) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    long position = from;
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (!closed) {
        int n = channel.read(buffer, position);
        if (n > 0) {
          position += n;
          out.write(buffer.array(), 0, n);
          out.flush();
          buffer.clear();
          continue;
        }
        Object now = keyOrNull(file);
        if (now != null && !Objects.equals(now, key)) {
          // Rotated: send what reached the old file before the switch, then follow the new one.
          position = drain(channel, position, buffer, out);
          channel.close();
          channel = FileChannel.open(file, StandardOpenOption.READ);
          key = now;
          position = 0;
          continue;
        }
        if (channel.size() < position) {
          position = 0; // truncated in place
        }
        // A client that went away is found by the next write, when the log grows.
        sleep();
      }
    } finally {
      channel.close();
    }
  }

  private static long drain(FileChannel channel, long from, ByteBuffer buffer, OutputStream out)
      throws IOException {
    long position = from;
    int n;
    while ((n = channel.read(buffer, position)) > 0) {
      position += n;
      out.write(buffer.array(), 0, n);
      buffer.clear();
    }
    out.flush();
    return position;
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static Object key(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  private static Object keyOrNull(Path file) throws IOException {
    try {
      return key(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> values = new HashMap<>();
    if (uri.getQuery() != null) {
      for (String pair : uri.getQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return values;
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    threads.shutdownNow();
  }
}
