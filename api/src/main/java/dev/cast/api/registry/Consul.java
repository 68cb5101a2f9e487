package dev.cast.api.registry;

import dev.cast.api.errors.ApiException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** What every answer of Consul's HTTP API shares: its datacenter, its headers, its flags. */
final class Consul {
  static final String DATACENTER = "dc1";

  private Consul() {}

  /**
   * A read's answer with Consul's headers: the index to block on next, and that the (only) server
   * is the leader and in contact with itself.
   */
  static Response read(long index, Object body) {
    return ConsulJson.headers(Response.ok(body, MediaType.APPLICATION_JSON_TYPE), index).build();
  }

  /**
   * A boolean flag as Consul reads it: {@code ?passing} and {@code ?passing=true} are set, {@code
   * ?passing=false} is not.
   */
  static boolean flag(MultivaluedMap<String, String> query, String name) {
    if (!query.containsKey(name)) {
      return false;
    }
    String value = query.getFirst(name);
    if (value == null || value.isEmpty()) {
      return true;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "1", "t", "true" -> true;
      case "0", "f", "false" -> false;
      default ->
          throw ApiException.badRequest(
              "INVALID_REQUEST", "?" + name + "=" + value + " is not a boolean (true or false)");
    };
  }

  /** The tags an instance must all have ({@code ?tag=} repeated). */
  static List<String> tags(MultivaluedMap<String, String> query) {
    List<String> tags = query.get("tag");
    return tags == null ? List.of() : tags.stream().filter(t -> !t.isEmpty()).toList();
  }

  /** Refuses a datacenter other than this one ({@code ?dc=}). */
  static void datacenter(MultivaluedMap<String, String> query) {
    Registrations.datacenter(query.getFirst("dc"));
  }

  /** A node's ID, stable for its name (Consul's node IDs are UUIDs). */
  static String nodeId(String node) {
    return UUID.nameUUIDFromBytes(("cast-node:" + node).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
