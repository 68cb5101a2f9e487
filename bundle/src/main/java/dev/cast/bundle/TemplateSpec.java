package dev.cast.bundle;

/**
 * A config file rendered on each host at activation from a template in the bundle.
 *
 * @param src the template's path in the bundle (a regular file)
 * @param dest where the rendered file goes, relative to the release dir, normalized
 * @param mode the rendered file's permission bits, at most {@code 0777}; default {@code 0644}
 * @param onChange what a change of the rendered file calls for: {@code rollout} (the default),
 *     {@code restart}, {@code none} or {@code signal:<NAME>} (e.g. {@code signal:HUP})
 */
public record TemplateSpec(String src, String dest, int mode, String onChange) {

  /** The mode written as in {@code cast.yml}, e.g. {@code 0640}. */
  public String octalMode() {
    return String.format("%04o", mode);
  }
}
