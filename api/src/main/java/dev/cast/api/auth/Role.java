package dev.cast.api.auth;

import java.util.Locale;

/**
 * What a token may do, each role including the ones before it: {@code viewer} reads everything but
 * secrets; {@code deployer} also pushes, deploys, rolls back, steers deployments, operates services
 * and reads logs; {@code admin} also manages tokens and hosts and reads the audit log.
 */
public enum Role {
  VIEWER,
  DEPLOYER,
  ADMIN;

  public boolean includes(Role needed) {
    return ordinal() >= needed.ordinal();
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code viewer}, {@code deployer} or {@code admin}; null when none is. */
  public static Role parse(String name) {
    for (Role role : values()) {
      if (role.label().equals(name)) {
        return role;
      }
    }
    return null;
  }
}
