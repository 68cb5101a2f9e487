package dev.cast.bundle;

import static dev.cast.bundle.YamlTree.absent;
import static dev.cast.bundle.YamlTree.child;
import static dev.cast.bundle.YamlTree.index;
import static dev.cast.bundle.YamlTree.text;
import static dev.cast.bundle.YamlTree.where;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses {@code templates:} of {@code cast.yml}. What needs the archive (the template exists and
 * parses) is {@link TemplateSources}' business.
 */
final class ManifestTemplates {
  static final String PATH = "templates";
  static final List<String> ON_CHANGE = List.of("rollout", "restart", "none", "signal:<NAME>");

  private static final Pattern OCTAL = Pattern.compile("0?[0-7]{1,3}");
  private static final int DEFAULT_MODE = 0644;

  private ManifestTemplates() {}

  static List<TemplateSpec> parse(JsonNode node, List<String> shared) throws BundleException {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BundleException(
          where(PATH), "must be a list of {src, dest, mode, on_change}, got " + describe(node));
    }
    List<TemplateSpec> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String path = index(PATH, i);
      TemplateSpec spec = template(node.get(i), path, shared);
      for (TemplateSpec earlier : out) {
        if (earlier.dest().equals(spec.dest())) {
          throw new BundleException(
              where(child(path, "dest")),
              "\""
                  + spec.dest()
                  + "\" is already the dest of templates["
                  + out.indexOf(earlier)
                  + "]");
        }
      }
      out.add(spec);
    }
    return List.copyOf(out);
  }

  private static String describe(JsonNode node) {
    return YamlTree.describe(node);
  }

  private static TemplateSpec template(JsonNode node, String path, List<String> shared)
      throws BundleException {
    ObjectNode t = YamlTree.mapping(node, path, "src", "dest", "mode", "on_change");
    String src = relative(text(t.get("src"), child(path, "src")), child(path, "src"), "bundle");
    String destPath = child(path, "dest");
    String dest = relative(text(t.get("dest"), destPath), destPath, "release dir");
    for (String kept : shared) {
      if (dest.equals(kept)) {
        throw new BundleException(
            where(destPath),
            "\""
                + dest
                + "\" is the shared path itself; name a file inside it (e.g. \""
                + kept
                + "/app.conf\"), which is written to the app's shared/");
      }
    }
    int mode = mode(t.get("mode"), child(path, "mode"));
    String onChange = onChange(t.get("on_change"), child(path, "on_change"));
    return new TemplateSpec(src, dest, mode, onChange);
  }

  /** A relative path without {@code ..}, normalized ({@code ./a//b} is {@code a/b}). */
  private static String relative(String written, String path, String inside)
      throws BundleException {
    if (written.startsWith("/")) {
      throw new BundleException(
          where(path), "\"" + written + "\" must be relative to the " + inside + ", not absolute");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : written.split("/")) {
      if (segment.equals("..")) {
        throw new BundleException(
            where(path), "\"" + written + "\" must stay inside the " + inside + " (no ..)");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    if (segments.isEmpty() || written.endsWith("/")) {
      throw new BundleException(
          where(path), "\"" + written + "\" must name a file inside the " + inside);
    }
    for (String segment : segments) {
      if (segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new BundleException(where(path), "must not contain control characters");
      }
    }
    return String.join("/", segments);
  }

  private static int mode(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      return DEFAULT_MODE;
    }
    String written = text(node, path);
    if (!OCTAL.matcher(written).matches()) {
      throw new BundleException(
          where(path), "\"" + written + "\" is not an octal mode of at most 0777, e.g. \"0640\"");
    }
    return Integer.parseInt(written, 8);
  }

  private static String onChange(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      return "rollout";
    }
    String written = text(node, path);
    if (List.of("rollout", "restart", "none").contains(written)) {
      return written;
    }
    if (written.startsWith("signal:")) {
      String signal = written.substring("signal:".length()).toUpperCase(Locale.ROOT);
      if (signal.startsWith("SIG")) {
        signal = signal.substring(3);
      }
      if (ManifestParser.SIGNALS.contains(signal)) {
        return "signal:" + signal;
      }
      throw new BundleException(
          where(path),
          "\""
              + written
              + "\" names no supported signal (use one of "
              + ManifestParser.SIGNALS
              + ")");
    }
    throw new BundleException(
        where(path), "\"" + written + "\" is not one of " + String.join(", ", ON_CHANGE));
  }
}
