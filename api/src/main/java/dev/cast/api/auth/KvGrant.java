package dev.cast.api.auth;

/**
 * What a token may do under a registry key prefix: {@code read}, or {@code write} (which reads
 * too). The empty prefix is the whole store.
 */
public record KvGrant(String prefix, String access) {
  public boolean writes() {
    return "write".equals(access);
  }
}
