package dev.cast.workflows.host;

/**
 * @param deadlineMillis how long to wait for every service to pass, from the activity's start
 */
public record HealthRequest(String app, String version, long deadlineMillis) {}
