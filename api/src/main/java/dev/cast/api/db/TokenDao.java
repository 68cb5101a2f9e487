package dev.cast.api.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Users' tokens. */
public final class TokenDao {
  private final Jdbi jdbi;

  public TokenDao(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.registerRowMapper(ConstructorMapper.factory(TokenRow.class));
  }

  public void insert(TokenRow row) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO tokens (id, name, role, apps, secret_hash, created_at, expires_at,"
                        + " revoked_at, created_by, kv) VALUES (:id, :name, :role, :apps,"
                        + " :secretHash, :createdAt, :expiresAt, :revokedAt, :createdBy, :kv)")
                .bindMethods(row)
                .execute());
  }

  public Optional<TokenRow> byHash(String secretHash) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM tokens WHERE secret_hash = ?")
                .bind(0, secretHash)
                .mapTo(TokenRow.class)
                .findOne());
  }

  public Optional<TokenRow> find(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM tokens WHERE id = ?")
                .bind(0, id)
                .mapTo(TokenRow.class)
                .findOne());
  }

  /** Every token, newest first, revoked ones included. */
  public List<TokenRow> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM tokens ORDER BY created_at DESC, rowid DESC")
                .mapTo(TokenRow.class)
                .list());
  }

  /** Revokes a token; false when there is no such token or it was revoked already. */
  public boolean revoke(String id, long now) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                    .bind(0, now)
                    .bind(1, id)
                    .execute())
        > 0;
  }
}
