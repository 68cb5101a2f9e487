package dev.cast.activities.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A healthy instance of a service, as Consul's health endpoint describes it.
 *
 * @param id the service instance's ID
 * @param node the node (host) it runs on
 * @param address where to reach it: the service's address, else its node's
 * @param port its port
 * @param tags its tags
 * @param meta its metadata
 */
public record ServiceInstance(
    String id, String node, String address, int port, List<String> tags, Map<String, String> meta) {

  /**
   * The instance as templates see it: {@code {{address}}}, {@code {{port}}}, {@code {{tags}}}...
   */
  Map<String, Object> model() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("node", node);
    out.put("address", address);
    out.put("port", port);
    out.put("tags", tags);
    out.put("meta", meta);
    return out;
  }
}
