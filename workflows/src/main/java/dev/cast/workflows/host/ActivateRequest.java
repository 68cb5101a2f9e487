package dev.cast.workflows.host;

public record ActivateRequest(String deploymentId, String app, String version) {}
