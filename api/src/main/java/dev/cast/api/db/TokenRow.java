package dev.cast.api.db;

/** A token as stored: never its secret, only the secret's SHA-256 (hex). */
public record TokenRow(
    String id,
    String name,
    String role,
    String apps,
    String secretHash,
    long createdAt,
    Long expiresAt,
    Long revokedAt,
    String createdBy) {}
