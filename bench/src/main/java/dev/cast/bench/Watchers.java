package dev.cast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many HTTP/1.1 connections held open by one thread: each sends one request (a blocking read) and
 * notes the moment its whole answer is in. A selector and a few bytes per connection, so 10,000
 * watchers cost the client little and its own delay stays out of the wake-up times it measures.
 * Reads chunked answers and answers with a Content-Length; nothing else is needed here.
 */
final class Watchers implements AutoCloseable {
  private static final int CONNECT_BATCH = 500;

  private final Selector selector;
  private final List<Watcher> all = new ArrayList<>();
  private Watcher writer;
  private boolean writing;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
  private int answered;

  private static final class Watcher {
    final SocketChannel channel;
    StringBuilder received = new StringBuilder();
    long answeredAt;
    int status;

    Watcher(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private Watchers(Selector selector) {
    this.selector = selector;
  }

  /** Opens {@code n} connections to {@code address}, in batches, so the accept queue keeps up. */
  static Watchers open(InetSocketAddress address, int n) throws IOException {
    Watchers watchers = new Watchers(Selector.open());
    try {
      for (int first = 0; first < n; first += CONNECT_BATCH) {
        List<SocketChannel> batch = new ArrayList<>();
        for (int i = first; i < Math.min(n, first + CONNECT_BATCH); i++) {
          SocketChannel channel = SocketChannel.open();
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.connect(address);
          batch.add(channel);
        }
        for (SocketChannel channel : batch) {
          channel.configureBlocking(false);
          channel.register(watchers.selector, SelectionKey.OP_READ, watchers.add(channel));
        }
      }
      SocketChannel channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.connect(address);
      channel.configureBlocking(false);
      watchers.writer = new Watcher(channel);
      channel.register(watchers.selector, SelectionKey.OP_READ, watchers.writer);
    } catch (IOException | RuntimeException e) {
      watchers.close();
      throw e;
    }
    return watchers;
  }

  private Watcher add(SocketChannel channel) {
    Watcher watcher = new Watcher(channel);
    all.add(watcher);
    return watcher;
  }

  int size() {
    return all.size();
  }

  /** Sends every connection {@code request} (a complete HTTP/1.1 request). */
  void send(String request) throws IOException {
    byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
    for (Watcher watcher : all) {
      ByteBuffer out = ByteBuffer.wrap(bytes);
      while (out.hasRemaining()) {
        if (watcher.channel.write(out) == 0) {
          Thread.onSpinWait();
        }
      }
    }
  }

  /**
   * Sends {@code request} (a complete HTTP/1.1 request, the one write) on a connection of its own,
   * and returns the moment ({@link System#nanoTime}) just before it went: no HTTP client library
   * stands between the clock and the socket. Its answer is read by {@link #poll}, with the
   * watchers'.
   */
  long write(String request) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
    writing = true;
    long sent = System.nanoTime();
    while (out.hasRemaining()) {
      if (writer.channel.write(out) == 0) {
        Thread.onSpinWait();
      }
    }
    return sent;
  }

  /** The moment the write's whole answer was read, 0 while it is not; and its status. */
  long writeAnsweredAt() {
    return writer.answeredAt;
  }

  int writeStatus() {
    return writer.status;
  }

  /** How many have their whole answer, after reading whatever has arrived within {@code wait}. */
  int poll(Duration wait) throws IOException {
    long end = System.nanoTime() + wait.toNanos();
    do {
      long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
      if (selector.select(left) > 0) {
        for (SelectionKey key : selector.selectedKeys()) {
          read((Watcher) key.attachment());
        }
        selector.selectedKeys().clear();
      }
    } while ((answered < all.size() || writeOutstanding()) && System.nanoTime() < end);
    return answered;
  }

  /** Whether the write is still waiting for its answer. */
  private boolean writeOutstanding() {
    return writing && writer.answeredAt == 0;
  }

  /** The moments ({@link System#nanoTime}) the answers came in, sorted; the unanswered left out. */
  long[] answerTimes() {
    return all.stream()
        .filter(w -> w.answeredAt != 0)
        .mapToLong(w -> w.answeredAt)
        .sorted()
        .toArray();
  }

  /** The statuses of the answers that are in, other than 200, as "status×count". */
  String otherStatuses() {
    int[] counts = new int[600];
    all.stream().filter(w -> w.answeredAt != 0 && w.status != 200).forEach(w -> counts[w.status]++);
    StringBuilder out = new StringBuilder();
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] > 0) {
        out.append(out.length() == 0 ? "" : ", ").append(s).append("×").append(counts[s]);
      }
    }
    return out.toString();
  }

  private void read(Watcher watcher) throws IOException {
    if (watcher.answeredAt != 0) {
      return;
    }
    buffer.clear();
    int n = watcher.channel.read(buffer);
    long now = System.nanoTime();
    int counted = watcher == writer ? 0 : 1;
    if (n < 0) {
      watcher.channel.close();
      watcher.answeredAt = now;
      answered += counted;
      return;
    }
    buffer.flip();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    watcher.received.append(new String(bytes, StandardCharsets.ISO_8859_1));
    int status = complete(watcher.received);
    if (status > 0) {
      watcher.status = status;
      watcher.answeredAt = now;
      watcher.received = null;
      answered += counted;
    }
  }

  /** The status of a complete answer in {@code in}; 0 while it is incomplete. */
  static int complete(CharSequence in) {
    String text = in.toString();
    int headersEnd = text.indexOf("\r\n\r\n");
    if (headersEnd < 0) {
      return 0;
    }
    String headers = text.substring(0, headersEnd).toLowerCase(Locale.ROOT);
    int status = Integer.parseInt(headers.substring(9, 12));
    int body = headersEnd + 4;
    int at = headers.indexOf("\r\ncontent-length:");
    if (at >= 0) {
      int eol = headers.indexOf("\r\n", at + 2);
      String value = headers.substring(at + 17, eol < 0 ? headers.length() : eol).trim();
      return text.length() - body >= Integer.parseInt(value) ? status : 0;
    }
    if (headers.contains("\r\ntransfer-encoding: chunked")) {
      return text.endsWith("0\r\n\r\n") ? status : 0;
    }
    return status; // no body
  }

  @Override
  public void close() throws IOException {
    for (Watcher watcher : all) {
      watcher.channel.close();
    }
    if (writer != null) {
      writer.channel.close();
    }
    selector.close();
  }

  /** The {@code q} quantile of {@code sorted} (nearest rank). */
  static double at(double[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
