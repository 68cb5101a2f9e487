package dev.cast.workflows.host;

import java.util.List;

/**
 * @param host the host's name
 * @param address the address other machines reach the host's services at
 * @param previousVersion what {@code current} pointed at before, or {@code null}
 * @param endpoints the ports the new services listen on
 * @param config the config files rendered for the release, or {@code null} when it has no templates
 *     (and in histories recorded before templates existed)
 */
public record Activation(
    String host,
    String address,
    String previousVersion,
    List<Endpoint> endpoints,
    RenderedConfig config) {}
