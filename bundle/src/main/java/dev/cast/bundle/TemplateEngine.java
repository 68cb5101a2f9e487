package dev.cast.bundle;

import com.github.jknack.handlebars.Decorator;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.HelperRegistry;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.helper.ConditionalHelpers;
import com.github.jknack.handlebars.helper.EachHelper;
import com.github.jknack.handlebars.helper.IfHelper;
import com.github.jknack.handlebars.helper.LookupHelper;
import com.github.jknack.handlebars.helper.StringHelpers;
import com.github.jknack.handlebars.helper.UnlessHelper;
import com.github.jknack.handlebars.helper.WithHelper;
import com.github.jknack.handlebars.io.StringTemplateSource;
import com.github.jknack.handlebars.io.TemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Handlebars as config templates use it: no HTML escaping (config files are not HTML), no partials
 * or other files (the loader refuses every name), no JavaScript helpers, no helper that reads
 * resources ({@code i18n}, {@code embedded}, {@code precompile}); only the logic helpers ({@code
 * if}, {@code unless}, {@code each}, {@code with}, {@code lookup}, {@code eq}, {@code and}, ...), a
 * few string helpers and what the caller adds. The same engine checks templates at push and renders
 * them on hosts.
 */
public final class TemplateEngine {
  /**
   * The helpers Cast adds for templates: {@code key}, {@code keyOrDefault}, {@code ls}, {@code
   * service}, {@code env}, {@code secret}. A host renders with these; a push checks that a template
   * calls no helper beyond them and the built-in ones.
   */
  public static final List<String> CAST_HELPERS =
      List.of("key", "keyOrDefault", "ls", "service", "env", "secret");

  private TemplateEngine() {}

  /** The engine a push checks templates with: Cast's helpers are there, but render nothing. */
  public static Handlebars forChecking() {
    Map<String, Helper<?>> stubs = new LinkedHashMap<>();
    for (String name : CAST_HELPERS) {
      stubs.put(name, (context, options) -> "");
    }
    return create(stubs);
  }

  /** The engine with only the safe built-in helpers plus {@code helpers}. */
  public static Handlebars create(Map<String, Helper<?>> helpers) {
    Registry registry = new Registry();
    registry.put("if", IfHelper.INSTANCE);
    registry.put("unless", UnlessHelper.INSTANCE);
    registry.put("each", EachHelper.INSTANCE);
    registry.put("with", WithHelper.INSTANCE);
    registry.put("lookup", LookupHelper.INSTANCE);
    for (ConditionalHelpers helper : ConditionalHelpers.values()) {
      registry.put(helper.name(), helper);
    }
    for (StringHelpers helper :
        new StringHelpers[] {
          StringHelpers.join,
          StringHelpers.lower,
          StringHelpers.upper,
          StringHelpers.replace,
          StringHelpers.defaultIfEmpty
        }) {
      registry.put(helper.name(), helper);
    }
    helpers.forEach(registry::put);
    return new Handlebars(new NoFiles())
        .with(registry)
        .with(EscapingStrategy.NOOP)
        .prettyPrint(false)
        .infiniteLoops(false);
  }

  /**
   * Compiles a template.
   *
   * @param name the template's path in the bundle, used in error messages
   * @throws HandlebarsException when it does not parse; {@code getError()} has line and column
   */
  public static Template compile(Handlebars engine, String name, String text) throws IOException {
    return engine.compile(new StringTemplateSource(name, text));
  }

  /** Only the helpers put in; registering helpers from files, scripts or classes is refused. */
  private static final class Registry implements HelperRegistry {
    private final Map<String, Helper<?>> helpers = new LinkedHashMap<>();

    void put(String name, Helper<?> helper) {
      helpers.put(name, helper);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C> Helper<C> helper(String name) {
      return (Helper<C>) helpers.get(name);
    }

    @Override
    public Set<Map.Entry<String, Helper<?>>> helpers() {
      return helpers.entrySet();
    }

    @Override
    public <H> HelperRegistry registerHelper(String name, Helper<H> helper) {
      helpers.put(name, helper);
      return this;
    }

    @Override
    public <H> HelperRegistry registerHelperMissing(Helper<H> helper) {
      return registerHelper(HELPER_MISSING, helper);
    }

    @Override
    public HelperRegistry registerHelpers(Object helperSource) {
      throw refused();
    }

    @Override
    public HelperRegistry registerHelpers(Class<?> helperSource) {
      throw refused();
    }

    @Override
    public HelperRegistry registerHelpers(URI location) {
      throw refused();
    }

    @Override
    public HelperRegistry registerHelpers(File input) {
      throw refused();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, Reader source) {
      throw refused();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, InputStream source) {
      throw refused();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, String source) {
      throw refused();
    }

    @Override
    public Decorator decorator(String name) {
      return (fn, options) -> {
        throw new UnsupportedOperationException(
            "config templates have no decorators such as \"*" + name + "\"");
      };
    }

    @Override
    public HelperRegistry registerDecorator(String name, Decorator decorator) {
      throw refused();
    }

    @Override
    public HelperRegistry setCharset(Charset charset) {
      return this;
    }

    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("config templates take no helpers from elsewhere");
    }
  }

  /** Partials would read files: every name is refused. */
  private static final class NoFiles implements TemplateLoader {
    @Override
    public TemplateSource sourceAt(String location) throws IOException {
      throw new FileNotFoundException(
          "\"" + location + "\": config templates cannot include other templates (partials)");
    }

    @Override
    public String resolve(String location) {
      return location;
    }

    @Override
    public String getPrefix() {
      return "";
    }

    @Override
    public String getSuffix() {
      return "";
    }

    @Override
    public void setPrefix(String prefix) {
      // Nothing is loaded, so there is nothing to prefix.
    }

    @Override
    public void setSuffix(String suffix) {
      // Nothing is loaded, so there is nothing to suffix.
    }

    @Override
    public void setCharset(Charset charset) {
      // Nothing is loaded.
    }

    @Override
    public Charset getCharset() {
      return StandardCharsets.UTF_8;
    }
  }
}
