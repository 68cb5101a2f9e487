package dev.cast.api.model;

import dev.cast.api.auth.KvGrant;
import java.util.List;

/**
 * {@code POST /v1/tokens}.
 *
 * @param role viewer | deployer | admin
 * @param apps the apps the token reaches, by name or glob ({@code shop-*}); absent: all
 * @param expiresIn e.g. {@code 90d}, {@code 12h}; absent: never
 * @param kv registry key prefixes the token is limited to, each {@code read} or {@code write}; a
 *     token with prefixes reaches the registry only
 */
public record TokenBody(
    String name, String role, List<String> apps, String expiresIn, List<KvGrant> kv) {}
