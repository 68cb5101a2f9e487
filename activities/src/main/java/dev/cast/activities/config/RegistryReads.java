package dev.cast.activities.config;

import dev.cast.workflows.host.ConfigReads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rendering's reads of the registry: each key, prefix and service is read once, so every
 * template of a release (and the masked second pass) sees the same value. Reads fail unchecked,
 * since they happen inside Handlebars; {@link TemplateRenderer} turns them back.
 */
final class RegistryReads {
  private final RegistryView registry;
  private final Map<String, Optional<String>> keys = new HashMap<>();
  private final Map<String, Map<String, String>> lists = new HashMap<>();
  private final Map<String, List<ServiceInstance>> services = new HashMap<>();

  RegistryReads(RegistryView registry) {
    this.registry = registry;
  }

  Optional<String> key(String key) {
    return keys.computeIfAbsent(key, k -> unchecked(() -> registry.key(k)));
  }

  Map<String, String> list(String prefix) {
    return lists.computeIfAbsent(prefix, p -> unchecked(() -> registry.list(p)));
  }

  List<ServiceInstance> healthy(String service) {
    return services.computeIfAbsent(service, s -> unchecked(() -> registry.healthy(s)));
  }

  /** Every key, prefix and service read so far, sorted. */
  ConfigReads reads() {
    return new ConfigReads(
        keys.keySet().stream().sorted().toList(),
        lists.keySet().stream().sorted().toList(),
        services.keySet().stream().sorted().toList());
  }

  long index() {
    return registry.index();
  }

  private interface Read<T> {
    T get() throws IOException;
  }

  private static <T> T unchecked(Read<T> read) {
    try {
      return read.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
