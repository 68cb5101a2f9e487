package dev.cast.workflows.host;

/** A named port of a service, as allocated on one host. */
public record Endpoint(String service, String portName, int port) {}
