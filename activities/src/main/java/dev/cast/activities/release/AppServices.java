package dev.cast.activities.release;

import dev.cast.activities.host.AppLayout;
import dev.cast.activities.ports.PortAllocator;
import dev.cast.activities.process.ServiceEnvironment;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ServiceSpec;
import dev.cast.workflows.host.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ports and environment of one app's services on this host. */
final class AppServices {
  private final String hostName;
  private final PortAllocator ports;

  AppServices(String hostName, PortAllocator ports) {
    this.hostName = hostName;
    this.ports = ports;
  }

  /** Allocates (or finds) every service's ports; returns them as endpoints in manifest order. */
  List<Endpoint> allocate(AppLayout app, Manifest manifest) {
    List<Endpoint> endpoints = new ArrayList<>();
    manifest
        .services()
        .forEach(
            (name, spec) ->
                ports
                    .allocate(app.app(), name, spec.ports())
                    .forEach(
                        (portName, port) -> endpoints.add(new Endpoint(name, portName, port))));
    return endpoints;
  }

  Map<String, Integer> portsOf(AppLayout app, String service, ServiceSpec spec) {
    return ports.allocate(app.app(), service, spec.ports());
  }

  Map<String, String> environment(
      AppLayout app, String version, ServiceSpec spec, Map<String, Integer> servicePorts) {
    return ServiceEnvironment.build(
        spec.env(), spec.ports(), servicePorts, app.app(), version, hostName);
  }

  /** The environment hooks and templates get: the first service's. */
  Map<String, String> firstServiceEnvironment(AppLayout app, String version, Manifest manifest) {
    Map.Entry<String, ServiceSpec> first = manifest.services().entrySet().iterator().next();
    return environment(
        app, version, first.getValue(), portsOf(app, first.getKey(), first.getValue()));
  }

  /** Port numbers by port name; where two services name a port alike, the first one's. */
  static Map<String, Integer> byName(List<Endpoint> endpoints) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    endpoints.forEach(e -> ports.putIfAbsent(e.portName(), e.port()));
    return ports;
  }
}
