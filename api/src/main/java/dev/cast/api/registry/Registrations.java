package dev.cast.api.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.api.errors.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the bodies of Consul's register and deregister calls, refusing what Cast would store wrong:
 * a missing node, address or service name, a port out of range, control characters, oversize
 * fields, check definitions. Consul's fields that Cast keeps nothing of (tagged addresses, weights,
 * node meta, ...) are accepted and ignored, so that Consul's own clients, which send them empty,
 * are understood; any other field is refused.
 */
final class Registrations {
  static final int MAX_NAME = 255;
  static final int MAX_TAGS = 64;
  static final int MAX_META = 64;
  static final int MAX_META_KEY = 128;
  static final int MAX_META_VALUE = 512;

  /** Node and service names as Consul's DNS interface can serve them (and underscores, dots). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private static final Set<String> CATALOG_IGNORED =
      Set.of(
          "ID",
          "Datacenter",
          "TaggedAddresses",
          "NodeMeta",
          "SkipNodeUpdate",
          "Partition",
          "Namespace",
          "Locality",
          "PeerName");

  private static final Set<String> SERVICE_IGNORED =
      Set.of(
          "TaggedAddresses",
          "Weights",
          "EnableTagOverride",
          "CreateIndex",
          "ModifyIndex",
          "ContentHash",
          "Proxy",
          "Connect",
          "PeerName",
          "Namespace",
          "Partition",
          "Datacenter",
          "Locality",
          "SocketPath");

  private static final String NO_CHECKS =
      " defines a health check: Cast runs no checks for services it did not deploy (they count"
          + " as passing); register the service without Check or Checks";

  private Registrations() {}

  /** A deregistration: a service of a node, or (no service ID) the node and all its services. */
  record Deregistration(String node, String serviceId, boolean checkOnly) {}

  /** A request body as JSON; 400 when it is empty or not JSON. */
  static JsonNode parse(ObjectMapper json, String body) {
    try {
      JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw bad("the request body is empty; send the registration as JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw bad("the request body is not JSON: " + e.getOriginalMessage());
    }
  }

  /** {@code PUT /v1/catalog/register}: {@code {Node, Address, Service: {...}}}. */
  static ExternalService catalog(JsonNode body) {
    requireObject(body, "the request body");
    allowOnly(
        body,
        "the request body",
        Set.of("Node", "Address", "Service", "Check", "Checks"),
        CATALOG_IGNORED);
    refuseChecks(body, "the registration");
    datacenter(body.get("Datacenter"));
    String node = name(body, "Node", "Node");
    String address = address(body, "Address", "Address", true);
    JsonNode service = body.get("Service");
    if (service == null || service.isNull()) {
      throw bad(
          "Service is missing: Cast's catalog keeps nodes for the services on them; register"
              + " a node together with a service ({\"Node\", \"Address\", \"Service\": {\"Service\","
              + " \"Port\"}})");
    }
    requireObject(service, "Service");
    allowOnly(
        service,
        "Service",
        Set.of("ID", "Service", "Tags", "Address", "Port", "Meta", "Kind"),
        SERVICE_IGNORED);
    kind(service.get("Kind"), "Service.Kind");
    String name = name(service, "Service", "Service.Service");
    String id = id(service.get("ID"), "Service.ID", name);
    return new ExternalService(
        node,
        address,
        id,
        name,
        address(service, "Address", "Service.Address", false),
        port(service.get("Port"), "Service.Port"),
        tags(service.get("Tags"), "Service.Tags"),
        meta(service.get("Meta"), "Service.Meta"));
  }

  /** {@code PUT /v1/agent/service/register}: {@code {ID, Name, Tags, Address, Port, Meta}}. */
  static ExternalService agent(JsonNode body, String node, String nodeAddress) {
    requireObject(body, "the request body");
    allowOnly(
        body,
        "the request body",
        Set.of("ID", "Name", "Tags", "Address", "Port", "Meta", "Kind", "Check", "Checks"),
        SERVICE_IGNORED);
    refuseChecks(body, "the registration");
    kind(body.get("Kind"), "Kind");
    String name = name(body, "Name", "Name");
    String id = id(body.get("ID"), "ID", name);
    return new ExternalService(
        node,
        nodeAddress,
        id,
        name,
        address(body, "Address", "Address", false),
        port(body.get("Port"), "Port"),
        tags(body.get("Tags"), "Tags"),
        meta(body.get("Meta"), "Meta"));
  }

  /** {@code PUT /v1/catalog/deregister}: {@code {Node, ServiceID?}} (or a {@code CheckID}). */
  static Deregistration deregistration(JsonNode body) {
    requireObject(body, "the request body");
    allowOnly(
        body,
        "the request body",
        Set.of("Node", "ServiceID", "CheckID"),
        Set.of("Datacenter", "Partition", "Namespace", "PeerName"));
    datacenter(body.get("Datacenter"));
    String node = name(body, "Node", "Node");
    string(body.get("CheckID"), "CheckID");
    JsonNode serviceId = body.get("ServiceID");
    string(serviceId, "ServiceID");
    if (serviceId == null || serviceId.isNull() || serviceId.asText().isEmpty()) {
      JsonNode checkId = body.get("CheckID");
      boolean checkOnly = checkId != null && !checkId.isNull() && !checkId.asText().isEmpty();
      return new Deregistration(node, null, checkOnly);
    }
    return new Deregistration(node, id(serviceId, "ServiceID", null), false);
  }

  /** A service ID in a URL ({@code /v1/agent/service/deregister/{id}}). */
  static String serviceId(String id) {
    return text(id, "service ID", true);
  }

  /** Consul's {@code ?dc=}: this registry is one datacenter, {@code dc1}. */
  static void datacenter(String dc) {
    if (dc != null && !dc.isEmpty() && !dc.equals(Consul.DATACENTER)) {
      throw bad(
          "No path to datacenter \""
              + printable(dc)
              + "\": this registry has one datacenter, "
              + Consul.DATACENTER);
    }
  }

  private static void datacenter(JsonNode dc) {
    if (dc != null && !dc.isNull()) {
      datacenter(string(dc, "Datacenter"));
    }
  }

  private static void kind(JsonNode kind, String field) {
    if (kind != null && !kind.isNull() && !string(kind, field).isEmpty()) {
      throw bad(
          field
              + " is \""
              + printable(kind.asText())
              + "\": Cast's registry keeps typical services only (Connect proxies and gateways"
              + " are not supported)");
    }
  }

  private static void refuseChecks(JsonNode body, String what) {
    JsonNode check = body.get("Check");
    if (check != null && !check.isNull() && !(check.isObject() && check.isEmpty())) {
      throw bad(what + NO_CHECKS);
    }
    JsonNode checks = body.get("Checks");
    if (checks != null && !checks.isNull() && !checks.isEmpty()) {
      throw bad(what + NO_CHECKS);
    }
  }

  private static void requireObject(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw bad(what + " must be a JSON object");
    }
  }

  private static void allowOnly(
      JsonNode object, String what, Set<String> known, Set<String> ignored) {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!known.contains(field) && !ignored.contains(field)) {
        throw bad(
            what
                + " has an unknown field \""
                + printable(field)
                + "\"; the fields Cast reads are "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static String name(JsonNode object, String field, String what) {
    String name = text(string(object.get(field), what), what, true);
    if (!NAME.matcher(name).matches()) {
      throw bad(
          what
              + " \""
              + printable(name)
              + "\" may only have letters, digits, '-', '_' and '.' (a name DNS can serve)");
    }
    return name;
  }

  private static String id(JsonNode id, String what, String fallback) {
    if (id != null && !id.isNull() && !id.isTextual()) {
      throw bad(what + " must be a string, not " + shown(id));
    }
    if (id == null || id.isNull() || id.asText().isEmpty()) {
      if (fallback == null) {
        throw bad(what + " is missing");
      }
      return fallback;
    }
    return text(string(id, what), what, true);
  }

  private static String address(JsonNode object, String field, String what, boolean required) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
      if (required) {
        throw bad(what + " is missing: the address the node's services answer at");
      }
      return "";
    }
    return text(string(value, what), what, true);
  }

  private static int port(JsonNode port, String what) {
    if (port == null || port.isNull()) {
      return 0;
    }
    if (!port.isIntegralNumber() || !port.canConvertToInt()) {
      throw bad(what + " must be a whole number from 0 to 65535, not " + shown(port));
    }
    int value = port.asInt();
    if (value < 0 || value > 65535) {
      throw bad(what + " " + value + " is out of range: a port is from 0 to 65535");
    }
    return value;
  }

  private static List<String> tags(JsonNode tags, String what) {
    if (tags == null || tags.isNull()) {
      return List.of();
    }
    if (!tags.isArray()) {
      throw bad(what + " must be a list of strings, not " + shown(tags));
    }
    if (tags.size() > MAX_TAGS) {
      throw bad(what + " has " + tags.size() + " tags; at most " + MAX_TAGS);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tags.size(); i++) {
      String where = what + "[" + i + "]";
      out.add(text(string(tags.get(i), where), where, false));
    }
    return out;
  }

  /** Consul's rules for service meta: 64 pairs, keys of 128 [A-Za-z0-9_-], values of 512. */
  private static Map<String, String> meta(JsonNode meta, String what) {
    if (meta == null || meta.isNull()) {
      return Map.of();
    }
    if (!meta.isObject()) {
      throw bad(what + " must be an object of strings, not " + shown(meta));
    }
    if (meta.size() > MAX_META) {
      throw bad(what + " has " + meta.size() + " keys; at most " + MAX_META);
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = meta.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = e.getKey();
      if (key.length() > MAX_META_KEY || !META_KEY.matcher(key).matches()) {
        throw bad(
            what
                + " key \""
                + printable(key)
                + "\" must be 1 to "
                + MAX_META_KEY
                + " letters, digits, '-' or '_'");
      }
      if (key.startsWith("consul-")) {
        throw bad(what + " key \"" + key + "\": keys starting with consul- are reserved");
      }
      String where = what + "." + key;
      out.put(key, text(string(e.getValue(), where), where, false, MAX_META_VALUE));
    }
    return out;
  }

  private static String string(JsonNode value, String what) {
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw bad(what + " must be a string, not " + shown(value));
    }
    return value.asText();
  }

  private static String text(String value, String what, boolean noSpaces) {
    return text(value, what, noSpaces, MAX_NAME);
  }

  /** Refuses empty names, oversize text, control characters and (for names) whitespace. */
  private static String text(String value, String what, boolean noSpaces, int max) {
    if (value == null || (noSpaces && value.isEmpty())) {
      throw bad(what + " is missing");
    }
    if (value.length() > max) {
      throw bad(what + " is " + value.length() + " characters long; at most " + max);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw bad(what + " has a control character (U+" + String.format("%04X", (int) c) + ")");
      }
      if (noSpaces && (Character.isWhitespace(c) || c == '/')) {
        throw bad(what + " \"" + printable(value) + "\" may not have whitespace or '/'");
      }
    }
    return value;
  }

  private static String shown(JsonNode value) {
    String text = value.toString();
    return text.length() > 40 ? text.substring(0, 37) + "..." : text;
  }

  /** A name in an error message: control characters shown escaped, long ones cut. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < 80; i++) {
      char c = value.charAt(i);
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
    }
    return value.length() > 80 ? out + "..." : out.toString();
  }

  static ApiException bad(String detail) {
    return ApiException.badRequest("INVALID_REGISTRATION", detail);
  }
}
