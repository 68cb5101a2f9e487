package dev.cast.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigInteger;
import java.util.Base64;

/** The registry's answers in Consul's shapes, with the headers Consul's clients read. */
public final class ConsulJson {
  private ConsulJson() {}

  /** A key as Consul writes it; without its value in a transaction's write results. */
  public static ObjectNode entry(ObjectMapper json, KvEntry e, boolean withValue) {
    ObjectNode node = json.createObjectNode();
    node.put("LockIndex", e.lockIndex());
    node.put("Key", e.key());
    if (e.flags() >= 0) {
      node.put("Flags", e.flags());
    } else {
      node.put("Flags", new BigInteger(Long.toUnsignedString(e.flags())));
    }
    if (withValue && e.value() != null) {
      node.put("Value", Base64.getEncoder().encodeToString(e.value()));
    } else {
      node.putNull("Value");
    }
    if (e.session() != null) {
      node.put("Session", e.session());
    }
    node.put("CreateIndex", e.createIndex());
    node.put("ModifyIndex", e.modifyIndex());
    return node;
  }

  public static ObjectNode session(ObjectMapper json, RegistrySession s) {
    ObjectNode node = json.createObjectNode();
    node.put("ID", s.id());
    node.put("Name", s.name() == null ? "" : s.name());
    node.put("Node", s.node() == null ? "" : s.node());
    node.put("LockDelay", s.lockDelayMillis() * 1_000_000L);
    node.put("Behavior", s.behavior());
    node.put("TTL", s.ttlMillis() == 0 ? "" : seconds(s.ttlMillis()));
    ArrayNode checks = node.putArray("NodeChecks");
    if (s.node() != null) {
      checks.add("serfHealth");
    }
    node.putNull("ServiceChecks");
    node.put("CreateIndex", s.createIndex());
    node.put("ModifyIndex", s.modifyIndex());
    return node;
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** A JSON answer with {@code X-Consul-Index} and the leader headers Consul's clients expect. */
  public static Response ok(JsonNode body, long index) {
    return headers(Response.ok(body, MediaType.APPLICATION_JSON_TYPE), index).build();
  }

  /** Consul's 404 for what is not there: no body, the index to block on. */
  public static Response notFound(long index) {
    return headers(Response.status(404), index).build();
  }

  public static Response.ResponseBuilder headers(Response.ResponseBuilder response, long index) {
    return response
        .header("X-Consul-Index", Long.toUnsignedString(Math.max(1, index)))
        .header("X-Consul-KnownLeader", "true")
        .header("X-Consul-LastContact", "0");
  }
}
