package dev.cast.torrent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import org.libtorrent4j.LibTorrent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads libtorrent4j's native library, once per process, and says whether BitTorrent works here.
 *
 * <p>{@code libtorrent4j-linux} ships the library inside its jar ({@value #RESOURCE}) and never
 * extracts it; libtorrent4j's JNI class loads whatever the system property {@value #PATH_PROPERTY}
 * names when it is first initialised. {@link #load(Path)} therefore copies the library to {@code
 * <cacheDir>/libtorrent4j-<sha256 prefix>.so} (a temp file renamed into place, so JVMs starting at
 * once never see half a file and never overwrite each other's copy), sets the property and loads
 * the library, all before any libtorrent4j class is touched. The file name is keyed by the
 * library's digest, so an upgrade of libtorrent4j gets a new file instead of reusing the old one.
 *
 * <p>If the property is already set when {@link #load(Path)} runs (for example {@code
 * -Dlibtorrent4j.jni.path=/usr/lib/...}), that library is used as is.
 *
 * <p>Callers that cannot get BitTorrent fall back to HTTP and say why, with {@link
 * Availability#reason()}; nothing here throws for an unavailable library.
 */
public final class TorrentNative {
  /** The system property libtorrent4j's JNI class reads for the library's absolute path. */
  public static final String PATH_PROPERTY = "libtorrent4j.jni.path";

  /** Where {@code libtorrent4j-linux} keeps the library inside its jar. */
  public static final String RESOURCE = "lib/x86_64/libtorrent4j.so";

  private static final Logger LOG = LoggerFactory.getLogger(TorrentNative.class);
  private static Availability state =
      Availability.unavailable("the libtorrent4j native library has not been loaded yet");
  private static boolean attempted;

  private TorrentNative() {}

  /**
   * Whether BitTorrent can run in this process, and if not, why.
   *
   * @param available true once the native library is loaded and answered
   * @param reason why not, or an empty string when available
   * @param library the loaded library file, or null when unavailable
   * @param libtorrentVersion libtorrent's own version string, or an empty string when unavailable
   */
  public record Availability(
      boolean available, String reason, Path library, String libtorrentVersion) {
    static Availability unavailable(String reason) {
      return new Availability(false, reason, null, "");
    }
  }

  /**
   * Extracts (when needed) and loads the native library, once per process; later calls return the
   * first call's result, whatever directory they pass, because a JVM can load a JNI library only
   * once.
   *
   * @param cacheDir where the extracted library is kept, e.g. {@code <dataDir>/native}; created if
   *     missing
   * @return whether BitTorrent is available, and why not
   */
  public static synchronized Availability load(Path cacheDir) {
    if (attempted) {
      return state;
    }
    attempted = true;
    state = tryLoad(cacheDir);
    if (state.available()) {
      LOG.info(
          "BitTorrent available: libtorrent {} from {}",
          state.libtorrentVersion(),
          state.library());
    } else {
      LOG.warn("BitTorrent unavailable: {}", state.reason());
    }
    return state;
  }

  /** The result of the first {@link #load(Path)}, or "not loaded yet" before it. */
  public static synchronized Availability availability() {
    return state;
  }

  /**
   * Throws with the reason unless the library is loaded; for code that must not touch libtorrent4j
   * classes without it.
   */
  static void requireAvailable() {
    Availability a = availability();
    if (!a.available()) {
      throw new IllegalStateException("BitTorrent is unavailable: " + a.reason());
    }
  }

  private static Availability tryLoad(Path cacheDir) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    Path library;
    String preset = System.getProperty(PATH_PROPERTY, "");
    if (!preset.isEmpty()) {
      library = Path.of(preset);
      if (!Files.isRegularFile(library)) {
        return Availability.unavailable(PATH_PROPERTY + " names " + preset + ", which is no file");
      }
    } else {
      if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
        return Availability.unavailable(
            "libtorrent4j-linux has a native library for linux/x86_64 only, not "
                + os
                + "/"
                + arch);
      }
      try {
        library = extract(cacheDir);
      } catch (IOException | UncheckedIOException e) {
        return Availability.unavailable("cannot extract " + RESOURCE + ": " + e);
      }
      if (library == null) {
        return Availability.unavailable(
            RESOURCE + " is not on the classpath (is org.libtorrent4j:libtorrent4j-linux there?)");
      }
      System.setProperty(PATH_PROPERTY, library.toAbsolutePath().toString());
    }
    try {
      // The first use of a libtorrent4j class runs libtorrent_jni's static initialiser, which
      // loads the library named by the property.
      String version = LibTorrent.version();
      return new Availability(true, "", library, version);
    } catch (LinkageError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return Availability.unavailable("cannot load " + library + ": " + cause);
    }
  }

  /** Copies the library out of the jar unless an identical copy is there; null if not packaged. */
  private static Path extract(Path cacheDir) throws IOException {
    ClassLoader loader = TorrentNative.class.getClassLoader();
    String digest;
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return null;
      }
      digest = sha256(in);
    }
    Files.createDirectories(cacheDir);
    Path target = cacheDir.resolve("libtorrent4j-" + digest.substring(0, 16) + ".so");
    if (Files.isRegularFile(target) && sha256(target).equals(digest)) {
      return target;
    }
    removeStaleTempFiles(cacheDir);
    Path temp = Files.createTempFile(cacheDir, ".libtorrent4j-", ".so.tmp");
    try {
      try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      }
      if (!sha256(temp).equals(digest)) {
        throw new IOException(
            "the extracted copy of " + RESOURCE + " does not match its jar entry");
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return target;
  }

  /** Deletes temp files a JVM that died while extracting left behind (older than an hour). */
  private static void removeStaleTempFiles(Path cacheDir) throws IOException {
    FileTime cutoff = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    try (DirectoryStream<Path> stale =
        Files.newDirectoryStream(cacheDir, ".libtorrent4j-*.so.tmp")) {
      for (Path temp : stale) {
        if (Files.getLastModifiedTime(temp).compareTo(cutoff) < 0) {
          Files.deleteIfExists(temp);
        }
      }
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (DigestInputStream din = new DigestInputStream(in, md)) {
      din.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
