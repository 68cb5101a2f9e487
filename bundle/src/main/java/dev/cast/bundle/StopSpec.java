package dev.cast.bundle;

import java.time.Duration;

/**
 * How a service is stopped: {@code signal} to the whole process group, then KILL after {@code
 * grace}.
 *
 * @param signal a signal name without the SIG prefix (TERM, INT, QUIT, HUP, USR1, USR2, KILL);
 *     default TERM
 * @param grace time between the signal and KILL; default 10s
 */
public record StopSpec(String signal, Duration grace) {}
