package dev.cast.bundle;

import java.util.List;
import java.util.Map;

/**
 * The parsed and validated {@code cast.yml} at the root of a bundle. Defaults are applied by the
 * parser, so every field of a returned manifest is non-null (maps and lists may be empty).
 *
 * @param name the app name, {@code [a-z0-9][a-z0-9-]{0,62}}
 * @param version the release version, {@code [A-Za-z0-9._+-]{1,64}}
 * @param services services by name, in file order
 * @param hooks the activation hooks
 * @param shared paths relative to the release dir that are kept across releases
 * @param templates config files rendered on each host at activation, in file order
 */
public record Manifest(
    String name,
    String version,
    Map<String, ServiceSpec> services,
    Hooks hooks,
    List<String> shared,
    List<TemplateSpec> templates) {

  public static final String FILE_NAME = "cast.yml";
}
