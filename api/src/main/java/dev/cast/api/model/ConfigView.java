package dev.cast.api.model;

import java.util.List;

/**
 * The config files a deployment's hosts rendered from its release's templates, secrets masked.
 *
 * @param configIndex the highest registry index a host rendered at; null without templates
 * @param hosts each host's files, by host name
 */
public record ConfigView(String deploymentId, Long configIndex, List<HostConfig> hosts) {

  /**
   * @param configIndex the registry index this host rendered at
   * @param recordedAt when the deployment recorded it (ISO-8601)
   */
  public record HostConfig(String host, long configIndex, String recordedAt, List<File> files) {}

  /**
   * @param content the rendered text, every {@code secret} value masked
   * @param secrets how many values were masked
   * @param truncated whether {@code content} is only the start of the file
   */
  public record File(
      String src,
      String dest,
      String mode,
      String onChange,
      String content,
      int secrets,
      boolean truncated) {}
}
