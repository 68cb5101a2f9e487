package dev.cast.activities.service;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A running service to stop.
 *
 * @param signal sent to the whole process group first (a name without SIG)
 * @param grace how long the group may take to exit before it is KILLed
 */
public record StopTarget(
    String service, RunRecord record, String signal, Duration grace, Path runFile) {}
