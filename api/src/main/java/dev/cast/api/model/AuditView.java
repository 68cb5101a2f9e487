package dev.cast.api.model;

import com.fasterxml.jackson.databind.JsonNode;

/** One entry of the audit log. */
public record AuditView(
    String at,
    String actor,
    String action,
    String path,
    String app,
    JsonNode params,
    int status,
    String source) {}
