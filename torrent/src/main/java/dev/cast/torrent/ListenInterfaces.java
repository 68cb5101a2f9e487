package dev.cast.torrent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * libtorrent's {@code listen_interfaces} setting ({@code address:port} pairs, comma-separated), as
 * {@link TorrentPeer} prepares it. Plain Java: no native library needed.
 */
final class ListenInterfaces {
  private ListenInterfaces() {}

  /**
   * Replaces port 0 by one free port. libtorrent expands {@code 0.0.0.0} into one listen socket per
   * local address, and with port 0 each of them gets a different random port: the port {@link
   * TorrentPeer#listenPort()} reports would then not be the one announced to a tracker on another
   * address.
   */
  static String withConcretePort(String listenInterfaces) {
    List<String> entries = new ArrayList<>();
    for (String entry : listenInterfaces.split(",")) {
      entries.add(entry.trim());
    }
    if (entries.stream().noneMatch(e -> e.endsWith(":0"))) {
      return listenInterfaces;
    }
    int port;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(0));
      port = probe.getLocalPort();
    } catch (IOException e) {
      throw new TorrentException("cannot find a free port to listen on", e);
    }
    List<String> concrete = new ArrayList<>();
    for (String e : entries) {
      concrete.add(e.endsWith(":0") ? e.substring(0, e.length() - 1) + port : e);
    }
    return String.join(",", concrete);
  }

  /** The address of a listen setting of one concrete address, e.g. {@code 10.0.0.5:6881}. */
  static String singleAddress(String listenInterfaces) {
    if (listenInterfaces.contains(",")) {
      return null;
    }
    String entry = listenInterfaces.trim();
    int colon = entry.lastIndexOf(':');
    String host = colon < 0 ? entry : entry.substring(0, colon);
    host = host.replace("[", "").replace("]", "");
    boolean literal = host.matches("[0-9.]+") || host.contains(":");
    if (!literal || host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      return null;
    }
    return host;
  }
}
