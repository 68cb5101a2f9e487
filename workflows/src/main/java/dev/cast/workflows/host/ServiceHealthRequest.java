package dev.cast.workflows.host;

public record ServiceHealthRequest(String app, String service, long deadlineMillis) {}
