package dev.cast.activities.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one service.
 *
 * @param workDir the real release dir ({@code releases/<version>}), not the {@code current} link
 * @param log the file stdout and stderr are appended to
 * @param runFile where the running process is recorded
 */
public record LaunchSpec(
    String service,
    String version,
    List<String> command,
    Path workDir,
    Map<String, String> env,
    Map<String, Integer> ports,
    Path log,
    Path runFile) {}
