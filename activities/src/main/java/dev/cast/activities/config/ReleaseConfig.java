package dev.cast.activities.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cast.activities.host.AppLayout;
import dev.cast.bundle.Manifest;
import dev.cast.workflows.host.RenderedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A release's config files on this host: rendered from the registry and the host at activation,
 * written into the release dir, and their record (secrets masked) kept beside the release, so an
 * activation that finds the release switched already reports what was rendered for it.
 */
public final class ReleaseConfig {
  private final String host;
  private final String address;
  private final TemplateRenderer renderer = new TemplateRenderer();
  private final ObjectMapper json = new ObjectMapper();
  private volatile Supplier<RegistryView> registry = () -> RegistryView.EMPTY;
  private volatile Map<String, String> labels = Map.of();

  public ReleaseConfig(String host, String address) {
    this.host = host;
    this.address = address;
  }

  /**
   * Where templates read the registry from (a new view for each rendering) and this host's labels.
   * Until this is called the registry is empty.
   */
  public void use(Supplier<RegistryView> registry, Map<String, String> labels) {
    this.registry = registry;
    this.labels = Map.copyOf(labels);
  }

  /**
   * Renders the release's templates and only once all of them rendered writes them; returns the
   * record, or null for a release without templates.
   *
   * @param ports the app's allocated ports by port name
   * @param env what {@code env} reads
   * @throws io.temporal.failure.ApplicationFailure CONFIG_TEMPLATE_FAILED, with nothing written
   */
  public RenderedConfig render(
      AppLayout app,
      String version,
      Manifest manifest,
      Map<String, Integer> ports,
      Map<String, String> env)
      throws IOException {
    Path record = app.configRecord(version);
    if (manifest.templates().isEmpty()) {
      Files.deleteIfExists(record);
      return null;
    }
    return write(app, version, manifest.shared(), renderOnly(app, version, manifest, ports, env));
  }

  /**
   * Renders the release's templates in memory, writing nothing.
   *
   * @throws io.temporal.failure.ApplicationFailure CONFIG_TEMPLATE_FAILED
   */
  public TemplateRenderer.Result renderOnly(
      AppLayout app,
      String version,
      Manifest manifest,
      Map<String, Integer> ports,
      Map<String, String> env)
      throws IOException {
    TemplateInputs inputs = new TemplateInputs(host, address, labels, ports, env);
    return renderer.render(manifest.templates(), app.releaseDir(version), inputs, registry.get());
  }

  /**
   * Writes rendered files where the app reads them ({@link ConfigPlaces}), each atomically, then
   * their record; the record.
   */
  public RenderedConfig write(
      AppLayout app, String version, List<String> sharedPaths, TemplateRenderer.Result result)
      throws IOException {
    for (TemplateRenderer.Rendered file : result.files()) {
      ConfigPlaces.write(
          app, version, sharedPaths, file.spec().dest(), file.text(), file.spec().mode());
    }
    RenderedConfig config = result.record();
    writeRecord(app, version, config);
    return config;
  }

  /** Replaces the release's record (null: removes it). */
  public void writeRecord(AppLayout app, String version, RenderedConfig config) throws IOException {
    Path record = app.configRecord(version);
    if (config == null) {
      Files.deleteIfExists(record);
      return;
    }
    Path temp = record.resolveSibling(record.getFileName() + ".tmp");
    Files.write(temp, json.writeValueAsBytes(config));
    Files.move(temp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** What was rendered for the release when it was switched to; null when nothing was. */
  public RenderedConfig recorded(AppLayout app, String version) throws IOException {
    Path record = app.configRecord(version);
    if (!Files.exists(record)) {
      return null;
    }
    return json.readValue(record.toFile(), RenderedConfig.class);
  }
}
