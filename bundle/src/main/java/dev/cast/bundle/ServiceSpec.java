package dev.cast.bundle;

import java.util.List;
import java.util.Map;

/**
 * One service of a release.
 *
 * @param command argv; the working directory is the release dir
 * @param env extra environment variables
 * @param ports named ports, allocated per host; the service gets {@code PORT_<NAME>} (upper case,
 *     {@code -} becomes {@code _}) and {@code PORT} for the first
 * @param health the health check, or {@code null} when the service has none (ready once started)
 * @param stop how to stop it
 * @param restart the restart policy
 */
public record ServiceSpec(
    List<String> command,
    Map<String, String> env,
    List<String> ports,
    HealthSpec health,
    StopSpec stop,
    RestartPolicy restart) {}
