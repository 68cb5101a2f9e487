package dev.cast.api.model;

import java.util.List;

/**
 * Who the caller's token says they are.
 *
 * @param role viewer, deployer or admin; admin with auth off, where everything is allowed
 * @param apps the apps (names or globs) the token is limited to; null: every app
 * @param expiresAt when the token stops working; null: never
 */
public record WhoAmIView(String name, String role, List<String> apps, String expiresAt) {}
