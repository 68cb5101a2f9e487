package dev.cast.api.model;

import dev.cast.api.auth.KvGrant;
import java.util.List;

/**
 * A token as the api shows it; {@code secret} only in the answer to its creation.
 *
 * @param apps null when it reaches every app
 * @param kv the registry prefixes it is limited to; null: none, its role decides
 */
public record TokenView(
    String id,
    String name,
    String role,
    List<String> apps,
    String createdAt,
    String createdBy,
    String expiresAt,
    String revokedAt,
    String secret,
    List<KvGrant> kv) {}
