package dev.cast.workflows.host;

import java.util.List;

/**
 * @param host the host's name
 * @param address the address other machines reach the host's services at
 * @param previousVersion what {@code current} pointed at before, or {@code null}
 * @param endpoints the ports the new services listen on
 */
public record Activation(
    String host, String address, String previousVersion, List<Endpoint> endpoints) {}
