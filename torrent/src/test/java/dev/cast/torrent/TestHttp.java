package dev.cast.torrent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK HTTP server for tests: the tracker at {@code /announce} and {@code /scrape}, and files with
 * Range support at {@code /files/<name>} (a BEP 19 web seed).
 */
final class TestHttp implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  final Tracker tracker;
  final AtomicLong fileBytesServed = new AtomicLong();
  final AtomicLong announces = new AtomicLong();
  private final HttpServer server;

  TestHttp(Tracker tracker, Path filesDir) throws IOException {
    this.tracker = tracker;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext(
        Tracker.ANNOUNCE_PATH,
        ex -> {
          announces.incrementAndGet();
          byte[] body =
              tracker.announce(
                  ex.getRequestURI().getRawQuery(), ex.getRemoteAddress().getAddress());
          reply(ex, 200, body);
        });
    server.createContext(
        Tracker.SCRAPE_PATH,
        ex -> reply(ex, 200, tracker.scrape(ex.getRequestURI().getRawQuery())));
    if (filesDir != null) {
      server.createContext("/files/", ex -> serveFile(ex, filesDir));
    }
    server.start();
  }

  String base() {
    InetSocketAddress a = server.getAddress();
    return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  String announceUrl() {
    return base() + Tracker.ANNOUNCE_PATH;
  }

  String fileUrl(String name) {
    return base() + "/files/" + name;
  }

  private void serveFile(HttpExchange ex, Path dir) throws IOException {
    String name = ex.getRequestURI().getPath().substring("/files/".length());
    Path file = dir.resolve(name);
    if (name.contains("/") || !file.toFile().isFile()) {
      reply(ex, 404, new byte[0]);
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long size = raf.length();
      long from = 0;
      long to = size - 1;
      int status = 200;
      String range = ex.getRequestHeaders().getFirst("Range");
      if (range != null) {
        Matcher m = RANGE.matcher(range.trim());
        if (!m.matches()) {
          reply(ex, 416, new byte[0]);
          return;
        }
        from = Long.parseLong(m.group(1));
        if (!m.group(2).isEmpty()) {
          to = Math.min(to, Long.parseLong(m.group(2)));
        }
        if (from > to) {
          reply(ex, 416, new byte[0]);
          return;
        }
        status = 206;
        ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
      }
      ex.getResponseHeaders().set("Accept-Ranges", "bytes");
      long length = to - from + 1;
      ex.sendResponseHeaders(status, length);
      try (OutputStream out = ex.getResponseBody()) {
        byte[] buffer = new byte[64 * 1024];
        raf.seek(from);
        long left = length;
        while (left > 0) {
          int n = raf.read(buffer, 0, (int) Math.min(buffer.length, left));
          out.write(buffer, 0, n);
          left -= n;
        }
      }
      fileBytesServed.addAndGet(length);
    }
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
