package dev.cast.api.db;

/**
 * What is current on one host for one app.
 *
 * @param releases the versions on the host, a JSON list, as its agent last reported; null before
 *     its first report
 */
public record HostAppRow(
    String app,
    String host,
    String version,
    String previousVersion,
    long updatedAt,
    String releases) {}
