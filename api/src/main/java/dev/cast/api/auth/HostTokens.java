package dev.cast.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Each host's own token: an agent registers with the join token (the agent token) and gets a token
 * bound to its host's name, with which alone it reports for that host. Only a SHA-256 is stored;
 * removing the host revokes it.
 */
public final class HostTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final Map<String, String> hashByHost = new ConcurrentHashMap<>();

  public HostTokens(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Whether {@code secret} is the host's own token. */
  public boolean matches(String host, String secret) {
    if (host == null || secret == null) {
      return false;
    }
    String expected = hashByHost.computeIfAbsent(host, h -> stored(h).orElse(""));
    return !expected.isEmpty()
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            Tokens.hash(secret).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The host whose own token {@code secret} is, if it is one. Read from the database each time (no
   * cache a revocation could race): agents read the registry only when they render templates.
   */
  public Optional<String> hostOf(String secret) {
    String hash = Tokens.hash(secret);
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT host FROM host_tokens WHERE secret_hash = ?")
                .bind(0, hash)
                .mapTo(String.class)
                .findOne());
  }

  /** Whether the host has a token of its own already. */
  public boolean issued(String host) {
    return !hashByHost.computeIfAbsent(host, h -> stored(h).orElse("")).isEmpty();
  }

  /** Gives the host a new token (replacing any); returns its secret. */
  public String issue(String host) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = "casth_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String hash = Tokens.hash(secret);
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO host_tokens (host, secret_hash, created_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (host) DO UPDATE SET secret_hash = excluded.secret_hash,"
                        + " created_at = excluded.created_at")
                .bind(0, host)
                .bind(1, hash)
                .bind(2, System.currentTimeMillis())
                .execute());
    hashByHost.put(host, hash);
    return secret;
  }

  /** Revokes the host's token (the host was removed). */
  public void revoke(String host) {
    jdbi.useHandle(
        h -> h.createUpdate("DELETE FROM host_tokens WHERE host = ?").bind(0, host).execute());
    hashByHost.remove(host);
  }

  private Optional<String> stored(String host) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT secret_hash FROM host_tokens WHERE host = ?")
                .bind(0, host)
                .mapTo(String.class)
                .findOne());
  }
}
