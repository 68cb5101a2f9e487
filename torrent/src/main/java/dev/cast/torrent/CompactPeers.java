package dev.cast.torrent;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact peer lists of BEP 23 ({@code peers}: 4 address bytes and 2 port bytes, big-endian,
 * per IPv4 peer) and BEP 7 ({@code peers6}: 16 + 2 bytes per IPv6 peer).
 */
final class CompactPeers {
  private CompactPeers() {}

  /** The compact form of {@code peers}, all of one family: 6 bytes per IPv4, 18 per IPv6 peer. */
  static byte[] encode(List<InetSocketAddress> peers) {
    if (peers.isEmpty()) {
      return new byte[0];
    }
    int addressLength = peers.get(0).getAddress().getAddress().length;
    byte[] out = new byte[peers.size() * (addressLength + 2)];
    int pos = 0;
    for (InetSocketAddress peer : peers) {
      byte[] address = peer.getAddress().getAddress();
      if (address.length != addressLength) {
        throw new IllegalArgumentException("mixed address families in one compact list");
      }
      System.arraycopy(address, 0, out, pos, addressLength);
      out[pos + addressLength] = (byte) (peer.getPort() >>> 8);
      out[pos + addressLength + 1] = (byte) peer.getPort();
      pos += addressLength + 2;
    }
    return out;
  }

  /** Decodes a compact list whose addresses are {@code addressLength} (4 or 16) bytes long. */
  static List<InetSocketAddress> decode(byte[] compact, int addressLength) {
    int entry = addressLength + 2;
    if (compact.length % entry != 0) {
      throw new IllegalArgumentException(
          "a compact peer list is a multiple of " + entry + " bytes, not " + compact.length);
    }
    List<InetSocketAddress> peers = new ArrayList<>();
    for (int pos = 0; pos < compact.length; pos += entry) {
      byte[] address = Arrays.copyOfRange(compact, pos, pos + addressLength);
      int port = ((compact[pos + addressLength] & 0xff) << 8) | (compact[pos + entry - 1] & 0xff);
      try {
        peers.add(new InetSocketAddress(InetAddress.getByAddress(address), port));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return peers;
  }

  static boolean isV4(InetSocketAddress peer) {
    return peer.getAddress() instanceof Inet4Address;
  }

  static boolean isV6(InetSocketAddress peer) {
    return peer.getAddress() instanceof Inet6Address;
  }
}
