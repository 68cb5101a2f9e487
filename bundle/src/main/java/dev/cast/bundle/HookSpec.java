package dev.cast.bundle;

import java.time.Duration;
import java.util.List;

/**
 * One hook command.
 *
 * @param command argv, run in the release dir
 * @param timeout after this the hook's whole process group is killed and the hook fails; default
 *     60s
 */
public record HookSpec(List<String> command, Duration timeout) {}
