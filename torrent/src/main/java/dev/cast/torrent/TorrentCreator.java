package dev.cast.torrent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes a v1 single-file torrent of one file, in pure Java: no native library is needed, so the api
 * can always make torrents even where BitTorrent itself cannot run.
 *
 * <p>The result is reproducible: the same file with the same options gives the same bytes (there is
 * no creation date), hence the same info-hash.
 *
 * <pre>{@code
 * Metainfo torrent = TorrentCreator.of(bundle)
 *     .name(sha256 + ".tar.gz")
 *     .announce("http://api:8080/announce")
 *     .webSeed("http://api:8080/v1/bundles/" + sha256)
 *     .create();
 * }</pre>
 */
public final class TorrentCreator {
  /** The smallest piece length {@link #pieceLengthFor(long)} picks: 16 KiB, one block. */
  public static final int MIN_PIECE_LENGTH = 16 * 1024;

  /** The largest piece length {@link #pieceLengthFor(long)} picks: 4 MiB. */
  public static final int MAX_PIECE_LENGTH = 4 * 1024 * 1024;

  private static final long TARGET_MAX_PIECES = 2000;

  private final Path file;
  private String name;
  private String announce;
  private final List<String> webSeeds = new ArrayList<>();
  private boolean isPrivate;
  private int pieceLength;

  private TorrentCreator(Path file) {
    this.file = file;
    this.name = file.getFileName().toString();
  }

  /** Starts a torrent of {@code file}; its name defaults to the file's name. */
  public static TorrentCreator of(Path file) {
    return new TorrentCreator(file);
  }

  /** The name a downloader saves the file under; no path separators. */
  public TorrentCreator name(String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..")) {
      throw new IllegalArgumentException("a torrent name is one plain file name: " + name);
    }
    this.name = name;
    return this;
  }

  /** The HTTP tracker's announce URL ({@code announce}). */
  public TorrentCreator announce(String url) {
    this.announce = url;
    return this;
  }

  /** Adds a BEP 19 web seed ({@code url-list}): a URL that serves the file with Range support. */
  public TorrentCreator webSeed(String url) {
    webSeeds.add(url);
    return this;
  }

  /** Sets BEP 27's {@code private=1}: clients then find peers through the tracker only. */
  public TorrentCreator privateTorrent(boolean isPrivate) {
    this.isPrivate = isPrivate;
    return this;
  }

  /** Overrides the piece length; a power of two of at least 16 KiB. */
  public TorrentCreator pieceLength(int pieceLength) {
    if (pieceLength < MIN_PIECE_LENGTH || Integer.bitCount(pieceLength) != 1) {
      throw new IllegalArgumentException("piece length must be a power of two >= 16 KiB");
    }
    this.pieceLength = pieceLength;
    return this;
  }

  /**
   * The piece length for a file of {@code size} bytes: the smallest power of two from 16 KiB to 4
   * MiB that keeps the torrent at no more than about 2000 pieces (8 MiB: 16 KiB; 100 MiB: 64 KiB; 1
   * GiB: 1 MiB).
   */
  public static int pieceLengthFor(long size) {
    int length = MIN_PIECE_LENGTH;
    while (length < MAX_PIECE_LENGTH && size / length > TARGET_MAX_PIECES) {
      length *= 2;
    }
    return length;
  }

  /** Reads the file once, hashing its pieces, and returns the torrent. */
  public Metainfo create() {
    try {
      long size = Files.size(file);
      if (size == 0) {
        throw new IllegalArgumentException(file + " is empty; BitTorrent has no empty torrents");
      }
      int length = pieceLength > 0 ? pieceLength : pieceLengthFor(size);
      byte[] pieces = hashPieces(length, size);
      Map<String, Object> info = new TreeMap<>();
      info.put("length", size);
      info.put("name", utf8(name));
      info.put("piece length", length);
      info.put("pieces", pieces);
      if (isPrivate) {
        info.put("private", 1);
      }
      Map<String, Object> root = new TreeMap<>();
      root.put("info", info);
      root.put("created by", utf8("Cast"));
      if (announce != null) {
        root.put("announce", utf8(announce));
      }
      if (!webSeeds.isEmpty()) {
        List<Object> urls = new ArrayList<>();
        webSeeds.forEach(url -> urls.add(utf8(url)));
        root.put("url-list", urls);
      }
      return Metainfo.parse(Bencoding.encode(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a torrent of " + file, e);
    }
  }

  private byte[] hashPieces(int length, long size) throws IOException {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long count = (size + length - 1) / length;
    byte[] pieces = new byte[Math.toIntExact(count * 20)];
    byte[] buffer = new byte[length];
    long read = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int piece = 0; piece < count; piece++) {
        int want = (int) Math.min(length, size - read);
        int n = in.readNBytes(buffer, 0, want);
        if (n != want) {
          throw new IOException(file + " changed while it was hashed");
        }
        sha1.update(buffer, 0, n);
        System.arraycopy(sha1.digest(), 0, pieces, piece * 20, 20);
        read += n;
      }
      if (in.read() != -1) {
        throw new IOException(file + " grew while it was hashed");
      }
    }
    return pieces;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
