package dev.cast.api.db;

/** What is current on one host for one app. */
public record HostAppRow(
    String app, String host, String version, String previousVersion, long updatedAt) {}
