package dev.cast.activities.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a template knows besides the registry.
 *
 * @param host this host's name
 * @param address the address other machines reach this host's services at
 * @param labels this host's labels
 * @param ports the app's allocated ports by port name ({@code {{ports.http}}}); when two services
 *     name a port alike, the first service's
 * @param env what {@code {{env "X"}}} reads: the environment the release's hooks get
 */
public record TemplateInputs(
    String host,
    String address,
    Map<String, String> labels,
    Map<String, Integer> ports,
    Map<String, String> env) {

  Map<String, Object> model() {
    Map<String, Object> hostModel = new LinkedHashMap<>();
    hostModel.put("name", host);
    hostModel.put("address", address);
    hostModel.put("labels", labels);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("host", hostModel);
    model.put("ports", ports);
    return model;
  }
}
