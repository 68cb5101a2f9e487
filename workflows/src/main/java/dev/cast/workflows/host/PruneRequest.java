package dev.cast.workflows.host;

public record PruneRequest(String app, int keep) {}
