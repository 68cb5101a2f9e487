package dev.cast.api.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's files, read from the class path under {@code console/}: the page and its
 * stylesheet and ES modules. They hold no data (everything shown comes from the REST API with the
 * user's token), so they are public. Each is read once and kept, with an ETag of its content.
 */
public final class ConsoleAssets {
  /** Names the console uses: directories and files of letters, digits, {@code - _ .}. */
  private static final Pattern NAME =
      Pattern.compile("(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_.-]*\\.(html|css|js|svg|png|ico)");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  /** One file: its bytes, content type and strong ETag. */
  public record Asset(byte[] body, String type, String etag) {}

  private final String root;
  private final ClassLoader loader;
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /** The files under {@code root} (e.g. {@code console}) on the class path of {@code loader}. */
  public ConsoleAssets(String root, ClassLoader loader) {
    this.root = root;
    this.loader = loader;
  }

  /** The console's own files, as packaged in the api's jar. */
  public static ConsoleAssets packaged() {
    return new ConsoleAssets("console", ConsoleAssets.class.getClassLoader());
  }

  /**
   * The file at {@code path} below the root ({@code app.js}, {@code pages/apps.js}); empty for
   * anything else, a name with {@code ..} or an unknown extension included.
   */
  public Optional<Asset> find(String path) {
    if (path == null || !NAME.matcher(path).matches() || path.contains("..")) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(path, this::load);
  }

  private Optional<Asset> load(String path) {
    try (InputStream in = loader.getResourceAsStream(root + "/" + path)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String extension = path.substring(path.lastIndexOf('.') + 1);
      return Optional.of(new Asset(body, TYPES.get(extension), etag(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
