package dev.cast.workflows.host;

import java.util.List;

/**
 * The config files a host rendered from its release's templates at activation.
 *
 * @param index the registry's index the files were rendered at: the highest {@code X-Consul-Index}
 *     of the registry reads rendering made (0 when it read nothing)
 * @param files each template's result, secrets masked, in manifest order
 * @param reads what rendering read from the registry (null in records made before it was kept)
 */
public record RenderedConfig(long index, List<RenderedFile> files, ConfigReads reads) {

  public RenderedConfig(long index, List<RenderedFile> files) {
    this(index, files, null);
  }
}
