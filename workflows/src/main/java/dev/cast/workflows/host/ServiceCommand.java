package dev.cast.workflows.host;

/**
 * @param operationId the control operation this belongs to (idempotency and logs)
 * @param action start | stop | restart | enable | disable
 */
public record ServiceCommand(String operationId, String app, String service, String action) {}
