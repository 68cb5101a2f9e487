package dev.cast.torrent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A v1 single-file torrent: its bencoded bytes (what goes into a {@code .torrent} file) and what
 * Cast reads from them.
 *
 * <p>Cast makes v1-only torrents because Transmission 3 cannot parse hybrid v1+v2 ones; {@link
 * #parse(byte[])} therefore refuses multi-file and v2-only torrents, which Cast never makes.
 *
 * @param bytes the bencoded torrent (the accessor returns a copy)
 * @param infoHash the v1 info-hash, lower-case hex: SHA-1 of the bencoded {@code info} dictionary
 * @param name the file name in the torrent ({@code info.name}); a download is saved under it
 * @param length the file's size in bytes
 * @param pieceLength bytes per piece (the last piece may be shorter)
 * @param announce the tracker's announce URL, or null when the torrent names none
 * @param webSeeds BEP 19 web seed URLs ({@code url-list}), each serving the file itself
 * @param isPrivate whether the torrent carries {@code private=1} (BEP 27: tracker peers only)
 */
public record Metainfo(
    byte[] bytes,
    String infoHash,
    String name,
    long length,
    int pieceLength,
    String announce,
    List<String> webSeeds,
    boolean isPrivate) {

  public Metainfo {
    bytes = bytes.clone();
    webSeeds = List.copyOf(webSeeds);
  }

  /** The bencoded torrent, a fresh copy. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The same torrent with another announce URL and web seeds. The info dictionary, and so the
   * info-hash, stays as it is: whoever fetched the torrent through one address of the api gets
   * tracker and web seed URLs at that address.
   */
  public byte[] withUrls(String newAnnounce, List<String> newWebSeeds) {
    Map<String, Object> root = new TreeMap<>(Bencoding.decodeDictionary(bytes));
    root.put("info", Bencoding.rawValue(bytes, "info"));
    if (newAnnounce == null) {
      root.remove("announce");
    } else {
      root.put("announce", newAnnounce.getBytes(StandardCharsets.UTF_8));
    }
    if (newWebSeeds.isEmpty()) {
      root.remove("url-list");
    } else {
      List<Object> seeds = new ArrayList<>();
      for (String url : newWebSeeds) {
        seeds.add(url.getBytes(StandardCharsets.UTF_8));
      }
      root.put("url-list", seeds);
    }
    byte[] rewritten = Bencoding.encodeWithRawInfo(root);
    if (!parse(rewritten).infoHash().equals(infoHash)) {
      throw new IllegalStateException("rewriting the URLs changed the info-hash of " + name);
    }
    return rewritten;
  }

  /** The number of pieces. */
  public int pieceCount() {
    return (int) ((length + pieceLength - 1) / pieceLength);
  }

  /** The 20 raw bytes of the info-hash, as trackers and peers see it. */
  public byte[] infoHashBytes() {
    return HexFormat.of().parseHex(infoHash);
  }

  /**
   * A magnet link for this torrent: {@code magnet:?xt=urn:btih:<hex>&dn=<name>&tr=<announce>&ws=
   * <web seed>...}, every value URL-encoded.
   */
  public String magnetLink() {
    StringBuilder b = new StringBuilder("magnet:?xt=urn:btih:").append(infoHash);
    b.append("&dn=").append(encode(name));
    if (announce != null) {
      b.append("&tr=").append(encode(announce));
    }
    for (String webSeed : webSeeds) {
      b.append("&ws=").append(encode(webSeed));
    }
    return b.toString();
  }

  /**
   * Reads a {@code .torrent}. The info-hash is computed over the {@code info} dictionary's bytes as
   * written, so it matches what every client computes even for a torrent made elsewhere.
   *
   * @throws IllegalArgumentException if the bytes are no v1 single-file torrent
   */
  public static Metainfo parse(byte[] torrent) {
    Map<String, Object> root = Bencoding.decodeDictionary(torrent);
    Map<String, Object> info = Bencoding.dictionary(require(root, "info", "torrent"));
    if (info.containsKey("files")) {
      throw new IllegalArgumentException("multi-file torrents are not supported");
    }
    if (!info.containsKey("pieces")) {
      throw new IllegalArgumentException("not a v1 torrent: its info dictionary has no pieces");
    }
    String name = Bencoding.text(require(info, "name", "info"));
    long length = Bencoding.number(require(info, "length", "info"));
    long pieceLength = Bencoding.number(require(info, "piece length", "info"));
    int hashBytes = Bencoding.bytes(info.get("pieces")).length;
    if (length < 0 || pieceLength <= 0 || pieceLength > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "bad length " + length + " or piece length " + pieceLength);
    }
    long pieces = (length + pieceLength - 1) / pieceLength;
    if (hashBytes != pieces * 20) {
      throw new IllegalArgumentException(
          "pieces holds " + hashBytes + " bytes, expected 20 for each of " + pieces + " pieces");
    }
    String announce = root.containsKey("announce") ? Bencoding.text(root.get("announce")) : null;
    List<String> webSeeds = new ArrayList<>();
    Object urlList = root.get("url-list");
    if (urlList instanceof List<?>) {
      for (Object url : Bencoding.list(urlList)) {
        webSeeds.add(Bencoding.text(url));
      }
    } else if (urlList != null) {
      webSeeds.add(Bencoding.text(urlList));
    }
    boolean isPrivate = info.containsKey("private") && Bencoding.number(info.get("private")) == 1;
    String infoHash = sha1Hex(Bencoding.rawValue(torrent, "info"));
    return new Metainfo(
        torrent, infoHash, name, length, (int) pieceLength, announce, webSeeds, isPrivate);
  }

  static String sha1Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object require(Map<String, Object> dict, String key, String where) {
    Object value = dict.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no '" + key + "' in " + where);
    }
    return value;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metainfo other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Metainfo[" + infoHash + " " + name + " " + length + " bytes]";
  }
}
