package dev.cast.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Capabilities to fetch one release's bundle or torrent: {@code <expiry>.<HMAC-SHA256 of app,
 * version and expiry>}, under a key only the api holds ({@code <dataDir>/bundle-key}, 0600). The
 * api puts one in every bundle URL it hands out (to agents in a deployment, and as the torrent's
 * web seed), since neither an agent's plain fetch nor libtorrent's web seed can send a token.
 */
public final class BundleCaps {
  /** A deployment's steps may be retried for a while; its capability outlives them. */
  public static final Duration LIFETIME = Duration.ofDays(7);

  private final byte[] key;

  BundleCaps(byte[] key) {
    this.key = key.clone();
  }

  /** The key in {@code <dataDir>/bundle-key}, made at first start. */
  public static BundleCaps open(Path dataDir) throws IOException {
    Path file = dataDir.resolve("bundle-key");
    if (!Files.exists(file)) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      Files.createDirectories(dataDir);
      Path temp =
          Files.createTempFile(
              dataDir,
              ".bundle-key-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(temp, random);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    return new BundleCaps(Files.readAllBytes(file));
  }

  /** A capability for the release, valid for {@link #LIFETIME} from now. */
  public String issue(String app, String version) {
    long expires = System.currentTimeMillis() / 1000 + LIFETIME.toSeconds();
    return expires + "." + sign(app, version, expires);
  }

  /** {@code ?cap=…} for the release, to append to its bundle path. */
  public String query(String app, String version) {
    return "?cap=" + issue(app, version);
  }

  /** Whether {@code cap} was issued for this release and has not expired. */
  public boolean valid(String cap, String app, String version) {
    if (cap == null) {
      return false;
    }
    int dot = cap.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    long expires;
    try {
      expires = Long.parseLong(cap.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    if (expires < System.currentTimeMillis() / 1000) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(app, version, expires).getBytes(StandardCharsets.US_ASCII),
        cap.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
  }

  private String sign(String app, String version, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] signature =
          mac.doFinal((app + "\n" + version + "\n" + expires).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
