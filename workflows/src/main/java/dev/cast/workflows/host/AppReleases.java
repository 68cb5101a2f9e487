package dev.cast.workflows.host;

import java.util.List;

/**
 * What one app has on a host, as the host's files say: the agent reports it to the api, which takes
 * it as the truth about what runs where.
 *
 * @param current the version {@code current} points at, or null
 * @param previous the version {@code previous} points at, or null
 * @param releases the versions unpacked on the host, sorted
 * @param endpoints the ports of the current release's services, in manifest order
 */
public record AppReleases(
    String app, String current, String previous, List<String> releases, List<Endpoint> endpoints) {}
