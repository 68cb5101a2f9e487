package dev.cast.api.db;

import java.util.List;

/**
 * What is current on one host for one app.
 *
 * @param releases the versions on the host, as its agent last reported; null before its first
 *     report
 */
public record HostAppRow(
    String app,
    String host,
    String version,
    String previousVersion,
    long updatedAt,
    @JsonColumn List<String> releases) {}
