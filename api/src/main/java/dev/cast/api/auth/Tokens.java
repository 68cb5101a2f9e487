package dev.cast.api.auth;

import dev.cast.api.db.TokenDao;
import dev.cast.api.db.TokenRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' tokens: made with a 256-bit random secret, of which only the SHA-256 is stored; looked up
 * by that hash, from memory after the first use, so a request costs a hash and a map lookup, not a
 * database read. Revoking drops the cached entry at once.
 */
public final class Tokens {
  private static final Logger log = LoggerFactory.getLogger(Tokens.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final String ADMIN_TOKEN_FILE = "admin-token";

  private final TokenDao dao;
  private final Map<String, Caller> byHash = new ConcurrentHashMap<>();

  public Tokens(TokenDao dao) {
    this.dao = dao;
  }

  /** A token just made: its secret is in here and nowhere else. */
  public record Created(TokenRow row, String secret) {}

  public Created create(
      String name, Role role, List<String> apps, Long expiresAt, String createdBy) {
    return create(name, role, apps, expiresAt, createdBy, null);
  }

  /** A token; {@code kv}, when given, limits it to those registry prefixes. */
  public Created create(
      String name,
      Role role,
      List<String> apps,
      Long expiresAt,
      String createdBy,
      List<KvGrant> kv) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = "cast_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    return new Created(insert(name, role, apps, expiresAt, createdBy, secret, kv), secret);
  }

  private TokenRow insert(
      String name,
      Role role,
      List<String> apps,
      Long expiresAt,
      String createdBy,
      String secret,
      List<KvGrant> kv) {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    TokenRow row =
        new TokenRow(
            "t-" + HexFormat.of().formatHex(id),
            name,
            role.label(),
            apps == null ? null : List.copyOf(apps),
            hash(secret),
            System.currentTimeMillis(),
            expiresAt,
            null,
            createdBy,
            kv == null ? null : List.copyOf(kv));
    dao.insert(row);
    return row;
  }

  /** The caller a secret belongs to, unless it is unknown, revoked or expired. */
  public Optional<Caller> authenticate(String secret) {
    String hash = hash(secret);
    Caller caller = byHash.get(hash);
    if (caller == null) {
      Optional<TokenRow> row = dao.byHash(hash);
      if (row.isEmpty() || row.get().revokedAt() != null) {
        return Optional.empty();
      }
      caller = caller(row.get());
      byHash.put(hash, caller);
    }
    return caller.expired(System.currentTimeMillis()) ? Optional.empty() : Optional.of(caller);
  }

  public List<TokenRow> list() {
    return dao.list();
  }

  public Optional<TokenRow> find(String id) {
    return dao.find(id);
  }

  /** Revokes a token: the next request with it is refused. */
  public boolean revoke(String id) {
    boolean revoked = dao.revoke(id, System.currentTimeMillis());
    byHash.values().removeIf(c -> c.tokenId().equals(id));
    return revoked;
  }

  /**
   * At first start, makes an admin token and writes its secret, once, to {@code
   * <dataDir>/admin-token} (0600). When that file exists its secret is an admin token, made again
   * if the catalog lost it.
   */
  public void bootstrap(Path dataDir) throws IOException {
    Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
    if (Files.exists(file)) {
      String secret = Files.readString(file).trim();
      if (!secret.isEmpty() && dao.byHash(hash(secret)).isEmpty()) {
        insert("admin", Role.ADMIN, null, null, "bootstrap", secret, null);
        log.info("admin token from {} registered", file);
      }
      return;
    }
    Created admin = create("admin", Role.ADMIN, null, null, "bootstrap");
    Files.createDirectories(dataDir);
    Path temp =
        Files.createTempFile(
            dataDir,
            ".admin-token-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temp, admin.secret() + "\n");
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    log.info(
        "made the first admin token; its secret is in {} (mode 0600): export CAST_TOKEN=$(cat {})",
        file,
        file);
  }

  public Caller caller(TokenRow row) {
    return new Caller(
        row.id(), row.name(), Role.parse(row.role()), row.apps(), row.expiresAt(), row.kv());
  }

  static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
