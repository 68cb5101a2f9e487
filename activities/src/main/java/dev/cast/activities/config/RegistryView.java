package dev.cast.activities.config;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What templates read of the registry. One view serves one rendering: {@link #index()} is the
 * highest registry index among the answers it got. Failing to reach the registry is an {@link
 * IOException} (the activity is retried); an absent key or service is an answer, not a failure.
 */
public interface RegistryView {

  /** The value of {@code key}, empty when the key does not exist. */
  Optional<String> key(String key) throws IOException;

  /**
   * The keys directly under {@code prefix} (not in deeper "folders") with their values, in key
   * order, named without the prefix.
   */
  Map<String, String> list(String prefix) throws IOException;

  /** The service's instances whose checks all pass, empty when it has none. */
  List<ServiceInstance> healthy(String service) throws IOException;

  /** The highest registry index ({@code X-Consul-Index}) seen by this view, 0 before any read. */
  long index();

  /** A registry that has nothing: for hosts that cannot reach one. */
  RegistryView EMPTY =
      new RegistryView() {
        @Override
        public Optional<String> key(String key) {
          return Optional.empty();
        }

        @Override
        public Map<String, String> list(String prefix) {
          return Map.of();
        }

        @Override
        public List<ServiceInstance> healthy(String service) {
          return List.of();
        }

        @Override
        public long index() {
          return 0;
        }
      };
}
