package dev.cast.api.registry;

import java.util.Locale;

/**
 * One key/value operation of a transaction ({@code PUT /v1/txn}), and what a plain {@code PUT} or
 * {@code DELETE} of {@code /v1/kv/...} becomes.
 *
 * @param value null for verbs that take none
 * @param flags null: keep 0
 * @param index the index {@code cas}, {@code delete-cas} and {@code check-index} compare with
 * @param session the session of {@code lock}, {@code unlock} and {@code check-session}
 */
public record KvOp(Verb verb, String key, byte[] value, Long flags, Long index, String session) {
  public enum Verb {
    SET,
    CAS,
    LOCK,
    UNLOCK,
    GET,
    GET_TREE,
    CHECK_INDEX,
    CHECK_SESSION,
    CHECK_NOT_EXISTS,
    DELETE,
    DELETE_TREE,
    DELETE_CAS;

    /** The verb as Consul spells it: {@code delete-tree}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The verb {@code label}, or null. */
    public static Verb parse(String label) {
      for (Verb verb : values()) {
        if (verb.label().equals(label)) {
          return verb;
        }
      }
      return null;
    }

    public boolean writes() {
      return switch (this) {
        case GET, GET_TREE, CHECK_INDEX, CHECK_SESSION, CHECK_NOT_EXISTS -> false;
        default -> true;
      };
    }
  }
}
