package dev.cast.api.db;

/** A pushed release. {@code services} is a JSON list of service names. */
public record ReleaseRow(
    String app, String version, String sha256, long size, String services, long createdAt) {}
