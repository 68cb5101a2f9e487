package dev.cast.torrent;

/** A BitTorrent operation failed: a torrent libtorrent refused, a disk error, a closed peer. */
public class TorrentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TorrentException(String message) {
    super(message);
  }

  public TorrentException(String message, Throwable cause) {
    super(message, cause);
  }
}
