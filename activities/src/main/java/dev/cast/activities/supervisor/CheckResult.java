package dev.cast.activities.supervisor;

/** The outcome of one health check, with a line saying what was seen. */
public record CheckResult(boolean passed, String output) {}
