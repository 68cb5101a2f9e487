package dev.cast.api.db;

/** A service of the current release on a host. {@code ports} is a JSON object name → port. */
public record InstanceRow(
    String app,
    String host,
    String version,
    String service,
    String address,
    String ports,
    String health,
    long updatedAt) {}
