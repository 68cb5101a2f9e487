package dev.cast.bundle;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects, while an archive is read, what checking the manifest's templates needs: which regular
 * files the archive has, and the bytes of the template sources. Entries before {@code cast.yml}
 * (packed bundles sort it after {@code config/}) are kept while they are small, since which of them
 * are templates is not known yet; a source missed that way is read in a second pass.
 */
final class TemplateSources {
  /** The largest template accepted. */
  static final int TEMPLATE_LIMIT = 1 << 20;

  private static final int EARLY_FILE_LIMIT = 64 << 10;
  private static final long EARLY_TOTAL_LIMIT = 8L << 20;

  private final Set<String> files = new HashSet<>();
  private final Map<String, byte[]> kept = new HashMap<>();
  private Set<String> wanted;
  private long earlyBytes;

  /** The manifest is known: from now on only its template sources are kept. */
  void manifest(Manifest manifest) {
    wanted = new HashSet<>();
    manifest.templates().forEach(t -> wanted.add(t.src()));
    kept.keySet().retainAll(wanted);
  }

  /** Notes an entry; returns the stream the sink should read instead of {@code content}. */
  InputStream entry(ArchiveEntry entry, InputStream content) throws IOException {
    if (entry.kind() != ArchiveEntry.Kind.FILE) {
      return content;
    }
    files.add(entry.path());
    boolean keep =
        wanted == null
            ? entry.size() <= EARLY_FILE_LIMIT && earlyBytes + entry.size() <= EARLY_TOTAL_LIMIT
            : wanted.contains(entry.path()) && entry.size() <= TEMPLATE_LIMIT;
    if (!keep) {
      return content;
    }
    byte[] bytes = content.readAllBytes();
    if (wanted == null) {
      earlyBytes += bytes.length;
    }
    kept.put(entry.path(), bytes);
    return new ByteArrayInputStream(bytes);
  }

  /** Sources that are files of the archive but were not kept: a second pass must read them. */
  Set<String> missing(Manifest manifest) {
    Set<String> out = new HashSet<>();
    for (TemplateSpec t : manifest.templates()) {
      if (files.contains(t.src()) && !kept.containsKey(t.src())) {
        out.add(t.src());
      }
    }
    return out;
  }

  /** Keeps a source read in the second pass. */
  void keep(String path, byte[] bytes) {
    kept.put(path, bytes);
  }

  /** Checks each template: its source is a file of the archive, UTF-8, small, and parses. */
  void check(Manifest manifest) throws BundleException {
    Handlebars engine = TemplateEngine.forChecking();
    List<TemplateSpec> templates = manifest.templates();
    for (int i = 0; i < templates.size(); i++) {
      TemplateSpec t = templates.get(i);
      String where =
          YamlTree.where(YamlTree.child(YamlTree.index(ManifestTemplates.PATH, i), "src"));
      if (!files.contains(t.src())) {
        throw new BundleException(where, "\"" + t.src() + "\" is not a regular file in the bundle");
      }
      byte[] bytes = kept.get(t.src());
      if (bytes == null || bytes.length > TEMPLATE_LIMIT) {
        throw new BundleException(
            where,
            "\"" + t.src() + "\" is over the template limit of " + TEMPLATE_LIMIT + " bytes");
      }
      parse(engine, where, t.src(), utf8(where, t.src(), bytes));
    }
  }

  static String utf8(String where, String src, byte[] bytes) throws BundleException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BundleException(where, "\"" + src + "\" is not UTF-8 text");
    }
  }

  private static void parse(Handlebars engine, String where, String src, String text)
      throws BundleException {
    try {
      TemplateEngine.compile(engine, src, text);
    } catch (HandlebarsException e) {
      HandlebarsError error = e.getError();
      String at = error == null ? "" : " line " + error.line + ", column " + error.column;
      String reason = error == null ? e.getMessage() : error.reason;
      throw new BundleException(
          where, "\"" + src + "\"" + at + ": not a valid Handlebars template: " + reason);
    } catch (IOException | RuntimeException e) {
      throw new BundleException(
          where, "\"" + src + "\": not a valid Handlebars template: " + e.getMessage());
    }
  }
}
