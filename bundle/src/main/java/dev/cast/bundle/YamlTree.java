package dev.cast.bundle;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Reads {@code cast.yml} into a Jackson tree in which every scalar is kept as the text written in
 * the file (so {@code version: 1.10} stays {@code "1.10"}), and offers typed accessors whose errors
 * name the path of the offending value.
 */
final class YamlTree {

  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlTree() {}

  /** Parses YAML into a tree; {@code null} when the document is empty. */
  static JsonNode read(byte[] yaml) throws BundleException {
    try (JsonParser parser = FACTORY.createParser(yaml)) {
      if (parser.nextToken() == null) {
        return null;
      }
      JsonNode root = readValue(parser, "");
      if (parser.nextToken() != null) {
        throw new BundleException(where(""), "holds more than one YAML document; keep only one");
      }
      refuseScalarAnchors(yaml);
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String line =
          at == null || at.getLineNr() < 1
              ? ""
              : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw new BundleException(
          where(""), "is not valid YAML" + line + ": " + summary(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException("reading from a byte array failed", e);
    }
  }

  /** The YAML library's explanation on one line, without its source excerpts. */
  private static String summary(String message) {
    List<String> kept = new ArrayList<>();
    for (String line : message.split("\\R")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        kept.add(line.strip());
      }
    }
    return kept.isEmpty() ? message.strip() : String.join("; ", kept);
  }

  private static JsonNode readValue(JsonParser parser, String path)
      throws IOException, BundleException {
    refuseAnchorsAndAliases(parser, path);
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      ObjectNode object = NODES.objectNode();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        refuseAnchorsAndAliases(parser, child(path, field));
        if (object.has(field)) {
          throw new BundleException(where(path), "field \"" + field + "\" appears twice");
        }
        parser.nextToken();
        object.set(field, readValue(parser, child(path, field)));
      }
      return object;
    }
    if (token == JsonToken.START_ARRAY) {
      ArrayNode array = NODES.arrayNode();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        array.add(readValue(parser, index(path, array.size())));
      }
      return array;
    }
    if (token == JsonToken.VALUE_NULL) {
      return NullNode.getInstance();
    }
    return TextNode.valueOf(parser.getText());
  }

  /**
   * Refuses YAML anchors ({@code &a}) and aliases ({@code *a}). Jackson would read an alias as the
   * plain string {@code a}, silently turning a reference into a different value.
   */
  private static void refuseAnchorsAndAliases(JsonParser parser, String path)
      throws IOException, BundleException {
    if (!(parser instanceof YAMLParser yaml)) {
      return;
    }
    JsonLocation at = parser.currentTokenLocation();
    String line = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ")";
    if (yaml.isCurrentAlias()) {
      throw new BundleException(
          where(path),
          "uses the alias *"
              + parser.getText()
              + line
              + "; aliases are not supported: write the value out in full");
    }
    String anchor = yaml.getCurrentAnchor();
    if (anchor != null) {
      throw new BundleException(
          where(path),
          "sets the anchor &"
              + anchor
              + line
              + "; anchors and aliases are not supported: write each value out in full");
    }
  }

  /**
   * Refuses anchors on scalars, which Jackson does not report. Runs after Jackson has read the
   * document, so the YAML is known to be valid and every alias has already been refused with its
   * path.
   */
  private static void refuseScalarAnchors(byte[] yaml) throws BundleException {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(ArchiveReader.MANIFEST_LIMIT * 4);
    Iterable<Event> events =
        new Yaml(options)
            .parse(new InputStreamReader(new ByteArrayInputStream(yaml), StandardCharsets.UTF_8));
    for (Event event : events) {
      if (event instanceof NodeEvent node && node.getAnchor() != null) {
        throw new BundleException(
            where(""),
            "line "
                + (event.getStartMark().getLine() + 1)
                + ": sets the anchor &"
                + node.getAnchor()
                + "; anchors and aliases are not supported: write each value out in full");
      }
    }
  }

  // ---- paths ----

  /** The {@link BundleException#where()} for a path inside cast.yml ("" is the whole file). */
  static String where(String path) {
    return path.isEmpty() ? Manifest.FILE_NAME : Manifest.FILE_NAME + ": " + path;
  }

  static String child(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  // ---- typed accessors ----

  /** True when the field is absent or explicitly null. */
  static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  /** Requires a mapping whose fields are all among {@code known}. */
  static ObjectNode mapping(JsonNode node, String path, String... known) throws BundleException {
    if (!(node instanceof ObjectNode object)) {
      throw new BundleException(where(path), "must be a mapping of fields, got " + describe(node));
    }
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!List.of(known).contains(name)) {
        throw new BundleException(
            where(path),
            "unknown field \"" + name + "\" (known: " + String.join(", ", known) + ")");
      }
    }
    return object;
  }

  /** Requires a mapping with arbitrary keys (e.g. {@code services}, {@code env}). */
  static ObjectNode anyMapping(JsonNode node, String path) throws BundleException {
    if (!(node instanceof ObjectNode object)) {
      throw new BundleException(where(path), "must be a mapping, got " + describe(node));
    }
    return object;
  }

  /** Requires a present scalar and returns its text as written. */
  static String text(JsonNode node, String path) throws BundleException {
    if (absent(node)) {
      throw new BundleException(where(path), "is required but missing");
    }
    if (!node.isTextual()) {
      throw new BundleException(where(path), "must be a single value, got " + describe(node));
    }
    return node.textValue();
  }

  /** Requires a list of non-empty scalars; {@code mustHaveOne} also refuses an empty list. */
  static List<String> strings(JsonNode node, String path, boolean mustHaveOne, String example)
      throws BundleException {
    if (absent(node)) {
      throw new BundleException(where(path), "is required but missing");
    }
    if (!node.isArray()) {
      throw new BundleException(
          where(path), "must be a list like " + example + ", got " + describe(node));
    }
    if (mustHaveOne && node.isEmpty()) {
      throw new BundleException(where(path), "must not be empty, e.g. " + example);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String value = text(node.get(i), index(path, i));
      if (value.isEmpty()) {
        throw new BundleException(where(index(path, i)), "must not be an empty string");
      }
      out.add(value);
    }
    return List.copyOf(out);
  }

  /** The fields of a mapping in file order. */
  static Iterable<Map.Entry<String, JsonNode>> fields(ObjectNode node) {
    return node::fields;
  }

  /** Words for what a node is, used in "got ..." messages. */
  static String describe(JsonNode node) {
    if (absent(node)) {
      return "nothing";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return "the value \"" + node.asText() + "\"";
  }
}
