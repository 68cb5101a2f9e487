package dev.cast.activities.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A registry in memory: keys with the index each was written at, and healthy instances. */
final class FakeRegistry implements RegistryView {
  final TreeMap<String, String> keys = new TreeMap<>();
  final Map<String, Long> indexes = new HashMap<>();
  final Map<String, List<ServiceInstance>> services = new HashMap<>();
  final List<String> reads = new ArrayList<>();
  boolean down;
  private long seen;

  FakeRegistry put(String key, String value, long index) {
    keys.put(key, value);
    indexes.put(key, index);
    return this;
  }

  @Override
  public Optional<String> key(String key) throws IOException {
    read("key " + key);
    if (keys.containsKey(key)) {
      seen = Math.max(seen, indexes.get(key));
    }
    return Optional.ofNullable(keys.get(key));
  }

  @Override
  public Map<String, String> list(String prefix) throws IOException {
    read("ls " + prefix);
    Map<String, String> out = new LinkedHashMap<>();
    keys.subMap(prefix, prefix + Character.MAX_VALUE)
        .forEach(
            (k, v) -> {
              String rest = k.substring(prefix.length());
              if (!rest.isEmpty() && !rest.contains("/")) {
                out.put(rest, v);
              }
            });
    return out;
  }

  @Override
  public List<ServiceInstance> healthy(String service) throws IOException {
    read("service " + service);
    return services.getOrDefault(service, List.of());
  }

  @Override
  public long index() {
    return seen;
  }

  private void read(String what) throws IOException {
    if (down) {
      throw new IOException("connection refused");
    }
    reads.add(what);
  }
}
