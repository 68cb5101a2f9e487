package dev.cast.workflows.host;

/**
 * @param currentVersion the version {@code current} pointed at when staging finished, or {@code
 *     null} when the app has never been activated on the host
 * @param fetched whether bytes were downloaded (false when the bundle was cached or already
 *     unpacked)
 */
public record StagedRelease(String version, String currentVersion, boolean fetched) {}
