package dev.cast.workflows.host;

import java.util.List;

/**
 * What a host's rendering read from the registry: what a watched app's config depends on.
 *
 * @param keys keys read with {@code key}, {@code keyOrDefault} or {@code secret}
 * @param prefixes prefixes listed with {@code ls}
 * @param services catalog services looked up with {@code service}
 */
public record ConfigReads(List<String> keys, List<String> prefixes, List<String> services) {

  public static final ConfigReads NONE = new ConfigReads(List.of(), List.of(), List.of());
}
