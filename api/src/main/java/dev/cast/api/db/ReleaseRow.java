package dev.cast.api.db;

/**
 * A pushed release. {@code services} is a JSON list of service names; {@code pushedBy} the name of
 * the token that pushed it (null for releases pushed before tokens).
 */
public record ReleaseRow(
    String app,
    String version,
    String sha256,
    long size,
    String services,
    long createdAt,
    String pushedBy) {}
