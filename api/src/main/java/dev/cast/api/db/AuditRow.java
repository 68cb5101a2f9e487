package dev.cast.api.db;

/** One mutating call: who, what, on which app, with which parameters (JSON), and its status. */
public record AuditRow(
    long seq,
    long at,
    String actor,
    String action,
    String path,
    String app,
    String params,
    int status,
    String source) {}
