package dev.cast.api.auth;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;

/**
 * Who made a request: the token's id and name, its role, the apps it is limited to (null: all),
 * when it expires (null: never) and the registry key prefixes it is limited to (null: none, its
 * role decides; a token with prefixes reaches the registry only).
 */
public record Caller(
    String tokenId, String name, Role role, List<String> apps, Long expiresAt, List<KvGrant> kv)
    implements Principal {

  public Caller(String tokenId, String name, Role role, List<String> apps, Long expiresAt) {
    this(tokenId, name, role, apps, expiresAt, null);
  }

  /** A host's agent reading the registry with its host's own token: a viewer of everything. */
  public static Caller host(String name) {
    return new Caller("host:" + name, "host:" + name, Role.VIEWER, null, null, null);
  }

  /** Whether the token may read {@code key}: by its role, or by a prefix it was granted. */
  public boolean mayRead(String key) {
    if (kv == null) {
      return role.includes(Role.VIEWER);
    }
    return kv.stream().anyMatch(g -> key.startsWith(g.prefix()));
  }

  /** Whether the token may write {@code key}: deployer and up, or a prefix granted for writes. */
  public boolean mayWrite(String key) {
    if (kv == null) {
      return role.includes(Role.DEPLOYER);
    }
    return kv.stream().anyMatch(g -> g.writes() && key.startsWith(g.prefix()));
  }

  /** Whether the token may write anywhere in the store: what sessions need. */
  public boolean writesSomewhere() {
    return kv == null ? role.includes(Role.DEPLOYER) : kv.stream().anyMatch(KvGrant::writes);
  }

  @Override
  public String getName() {
    return name;
  }

  /** The name of who made a request: its token's, or "anonymous" with auth off. */
  public static String nameOf(SecurityContext security) {
    return security != null && security.getUserPrincipal() instanceof Caller caller
        ? caller.name()
        : "anonymous";
  }

  public boolean expired(long now) {
    return expiresAt != null && now >= expiresAt;
  }

  /**
   * Whether the token reaches the app: every app, or one of its names or globs ({@code shop-*}).
   */
  public boolean reaches(String app) {
    if (apps == null || app == null) {
      return true;
    }
    for (String pattern : apps) {
      if (glob(pattern, app)) {
        return true;
      }
    }
    return false;
  }

  /** {@code *} matches any run of characters; everything else matches itself. */
  static boolean glob(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
