package dev.cast.activities.config;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.context.MapValueResolver;
import dev.cast.activities.host.ApplicationFailures;
import dev.cast.bundle.TemplateEngine;
import dev.cast.bundle.TemplateSpec;
import dev.cast.workflows.host.ConfigReads;
import dev.cast.workflows.host.RenderedConfig;
import dev.cast.workflows.host.RenderedFile;
import dev.cast.workflows.shared.DeployFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a release's templates in memory, each twice: once as the file (secrets and all) and once
 * for the record (every {@code secret} masked). The registry is read once per key, prefix and
 * service for the whole release. The model holds only maps, lists and strings, read through map
 * lookups alone, so a template reaches no Java object's methods.
 */
public final class TemplateRenderer {

  /** One template's result: what to write, and what to record. */
  public record Rendered(TemplateSpec spec, String text, RenderedFile record) {}

  /** All of a release's templates, the registry index they were rendered at, and what they read. */
  public record Result(long index, List<Rendered> files, ConfigReads reads) {
    public RenderedConfig record() {
      return new RenderedConfig(index, files.stream().map(Rendered::record).toList(), reads);
    }
  }

  /**
   * Renders every template of the release.
   *
   * @param releaseDir where the templates' sources are
   * @throws io.temporal.failure.ApplicationFailure CONFIG_TEMPLATE_FAILED naming the template, the
   *     line and what was missing, when a template cannot be rendered
   * @throws IOException when a source cannot be read or the registry cannot be reached
   */
  public Result render(
      List<TemplateSpec> templates, Path releaseDir, TemplateInputs inputs, RegistryView registry)
      throws IOException {
    RegistryReads reads = new RegistryReads(registry);
    int[] secrets = new int[1];
    int[] masked = new int[1];
    Handlebars real =
        TemplateEngine.create(TemplateHelpers.of(reads, inputs.env(), false, secrets));
    Handlebars record =
        TemplateEngine.create(TemplateHelpers.of(reads, inputs.env(), true, masked));
    Map<String, Object> model = inputs.model();
    List<Rendered> out = new ArrayList<>();
    for (TemplateSpec spec : templates) {
      String source = Files.readString(releaseDir.resolve(spec.src()), StandardCharsets.UTF_8);
      secrets[0] = 0;
      String text = apply(real, spec, source, model);
      String shown = apply(record, spec, source, model);
      boolean truncated = shown.length() > RenderedFile.RECORDED_CHARS;
      out.add(
          new Rendered(
              spec,
              text,
              new RenderedFile(
                  spec.src(),
                  spec.dest(),
                  spec.octalMode(),
                  spec.onChange(),
                  truncated ? shown.substring(0, RenderedFile.RECORDED_CHARS) : shown,
                  secrets[0],
                  truncated)));
    }
    return new Result(reads.index(), List.copyOf(out), reads.reads());
  }

  private static String apply(
      Handlebars engine, TemplateSpec spec, String source, Map<String, Object> model)
      throws IOException {
    Context context = Context.newBuilder(model).resolver(MapValueResolver.INSTANCE).build();
    try {
      Template template = TemplateEngine.compile(engine, spec.src(), source);
      return template.apply(context);
    } catch (HandlebarsException e) {
      throw failure(spec, e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      context.destroy();
    }
  }

  /** The registry could not be reached: retry. Anything else the template did: a failure. */
  private static RuntimeException failure(TemplateSpec spec, HandlebarsException e)
      throws IOException {
    String what = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (t instanceof TemplateHelpers.Missing missing) {
        what = missing.getMessage();
      }
    }
    HandlebarsError error = e.getError();
    if (what == null) {
      what = error == null ? e.getMessage() : reason(error.reason);
    }
    String line = error == null ? "" : " line " + error.line;
    return ApplicationFailures.permanent(
        DeployFailure.CONFIG_TEMPLATE_FAILED,
        "template " + spec.src() + line + ": " + what + " (rendering " + spec.dest() + ")");
  }

  /** Handlebars' reason for a helper's exception is the exception's toString: keep its message. */
  private static String reason(String reason) {
    int colon = reason.indexOf("Exception: ");
    return colon < 0 ? reason : reason.substring(colon + "Exception: ".length());
  }
}
