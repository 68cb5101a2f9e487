package dev.cast.api.db;

import java.util.List;

/**
 * A pushed release. {@code services} are its service names; {@code pushedBy} the name of the token
 * that pushed it (null for releases pushed before tokens).
 */
public record ReleaseRow(
    String app,
    String version,
    String sha256,
    long size,
    @JsonColumn List<String> services,
    long createdAt,
    String pushedBy) {}
