package dev.cast.api.db;

import dev.cast.api.auth.KvGrant;
import java.util.List;

/**
 * A token as stored: never its secret, only the secret's SHA-256 (hex). {@code apps} are the apps
 * it is limited to, null for all; {@code kv} the registry prefixes it is limited to, null for none.
 */
public record TokenRow(
    String id,
    String name,
    String role,
    @JsonColumn List<String> apps,
    String secretHash,
    long createdAt,
    Long expiresAt,
    Long revokedAt,
    String createdBy,
    @JsonColumn List<KvGrant> kv) {}
