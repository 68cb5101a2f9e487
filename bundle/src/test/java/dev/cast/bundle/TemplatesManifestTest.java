package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code templates:} in cast.yml, and what a push checks of them in the archive. */
class TemplatesManifestTest {
  private static final long LIMIT = 10L << 20;
  private static final String HEAD =
      "name: hello\nversion: 1.0.0\nservices:\n  web:\n    command: [./server]\n";

  @TempDir Path dir;

  private static Manifest parse(String templates) throws BundleException {
    return ManifestParser.parse((HEAD + templates).getBytes(StandardCharsets.UTF_8));
  }

  private static AbstractThrowableAssert<?, ?> refused(String templates) {
    return assertThatThrownBy(() -> parse(templates)).isInstanceOf(BundleException.class);
  }

  private static String one(String fields) {
    return "templates:\n  - {src: app.tmpl, dest: config/app.properties" + fields + "}\n";
  }

  @Test
  void parsesTemplatesWithTheirDefaults() throws Exception {
    Manifest m =
        parse(
            "templates:\n"
                + "  - {src: ./config//app.tmpl, dest: config/app.properties, mode: \"0640\","
                + " on_change: signal:sighup}\n"
                + "  - {src: b.tmpl, dest: b.conf}\n");

    assertThat(m.templates())
        .containsExactly(
            new TemplateSpec("config/app.tmpl", "config/app.properties", 0640, "signal:HUP"),
            new TemplateSpec("b.tmpl", "b.conf", 0644, "rollout"));
    assertThat(m.templates().get(0).octalMode()).isEqualTo("0640");
  }

  @Test
  void noTemplatesIsAnEmptyList() throws Exception {
    assertThat(parse("").templates()).isEmpty();
  }

  @Test
  void acceptsADestInsideASharedPath() throws Exception {
    assertThat(
            parse("shared: [data/]\ntemplates:\n  - {src: a.tmpl, dest: data/app.conf}\n")
                .templates()
                .get(0)
                .dest())
        .isEqualTo("data/app.conf");
  }

  @Test
  void acceptsAnUnquotedMode() throws Exception {
    assertThat(parse(one(", mode: 0600")).templates().get(0).mode()).isEqualTo(0600);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/etc/app.conf|cast.yml: templates[0].dest: \"/etc/app.conf\" must be relative to the"
            + " release dir, not absolute",
        "../app.conf|cast.yml: templates[0].dest: \"../app.conf\" must stay inside the release"
            + " dir (no ..)",
        "config/../../x|cast.yml: templates[0].dest: \"config/../../x\" must stay inside the"
            + " release dir (no ..)",
        "./|cast.yml: templates[0].dest: \"./\" must name a file inside the release dir",
        "data|cast.yml: templates[0].dest: \"data\" is the shared path itself; name a file"
            + " inside it (e.g. \"data/app.conf\"), which is written to the app's shared/",
      })
  void refusesADestOutsideTheRelease(String dest, String message) {
    refused("shared: [data/]\ntemplates:\n  - {src: a.tmpl, dest: \"" + dest + "\"}\n")
        .hasMessage(message);
  }

  @Test
  void refusesTwoTemplatesWithTheSameDest() {
    refused(
            "templates:\n  - {src: a.tmpl, dest: app.conf}\n"
                + "  - {src: b.tmpl, dest: ./app.conf}\n")
        .hasMessage(
            "cast.yml: templates[1].dest: \"app.conf\" is already the dest of templates[0]");
  }

  @ParameterizedTest
  @CsvSource({"'\"0778\"'", "'\"1777\"'", "'\"rw-r--r--\"'", "'\"\"'", "'\"07777\"'"})
  void refusesAModeThatIsNotOctalUpTo0777(String mode) {
    refused(one(", mode: " + mode)).hasMessageContaining("templates[0].mode: ");
  }

  @ParameterizedTest
  @CsvSource({"reload", "signal:", "signal:FOO", "ROLLOUT"})
  void refusesAnUnknownOnChange(String onChange) {
    refused(one(", on_change: \"" + onChange + "\""))
        .hasMessageContaining("templates[0].on_change: ");
  }

  @Test
  void refusesUnknownFieldsAndAMissingSrc() {
    refused(one(", owner: root")).hasMessageContaining("templates[0]: unknown field \"owner\"");
    refused("templates:\n  - {dest: a}\n")
        .hasMessage("cast.yml: templates[0].src: is required but missing");
    refused("templates: {src: a}\n").hasMessageContaining("cast.yml: templates: must be a list");
  }

  // ---- what the archive must hold ----

  private static TarBuilder bundle(String templates) {
    return new TarBuilder().file("cast.yml", HEAD + templates);
  }

  @Test
  void acceptsATemplateThatParsesWhereverItIsInTheArchive() throws Exception {
    String text =
        "greeting={{key \"config/hello/greeting\"}}\n{{#each (service \"db\")}}"
            + "{{address}}:{{port}}{{/each}}\n{{secret (key \"db/password\")}} {{ports.http}}\n";
    Path before =
        new TarBuilder()
            .file("app.tmpl", text)
            .file("cast.yml", HEAD + one(""))
            .writeTo(dir.resolve("before.tar.gz"));
    Path after = bundle(one("")).file("app.tmpl", text).writeTo(dir.resolve("after.tar.gz"));

    assertThat(BundleInspector.inspect(before, LIMIT).manifest().templates()).hasSize(1);
    assertThat(BundleInspector.inspect(after, LIMIT).manifest().templates()).hasSize(1);
  }

  @Test
  void readsALargeTemplateBeforeTheManifestInASecondPass() throws Exception {
    String big = "x".repeat(200_000) + "\n{{#if}}\n";
    Path file =
        new TarBuilder()
            .file("app.tmpl", big)
            .file("cast.yml", HEAD + one(""))
            .writeTo(dir.resolve("b.tar.gz"));

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .hasMessageStartingWith("cast.yml: templates[0].src: \"app.tmpl\" line 3");
  }

  @Test
  void refusesATemplateSourceTheBundleDoesNotHave() throws Exception {
    Path file = bundle(one("")).dir("app.tmpl", 0755).writeTo(dir.resolve("b.tar.gz"));

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessage("cast.yml: templates[0].src: \"app.tmpl\" is not a regular file in the bundle");
  }

  @Test
  void refusesATemplateThatDoesNotParseNamingFileAndLine() throws Exception {
    Path file =
        bundle(one(""))
            .file("app.tmpl", "a={{key \"a\"}}\n{{#each (ls \"x/\")}}\n{{/if}}\n")
            .writeTo(dir.resolve("b.tar.gz"));

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(
            "cast.yml: templates[0].src: \"app.tmpl\" line 3, column 3: not a valid Handlebars"
                + " template: ");
  }

  @Test
  void refusesAHelperTemplatesDoNotHave() throws Exception {
    Path file =
        bundle(one("")).file("app.tmpl", "{{i18n \"hello\"}}\n").writeTo(dir.resolve("b.tar.gz"));

    assertThatThrownBy(() -> BundleInspector.inspect(file, LIMIT))
        .hasMessageContaining("could not find helper: 'i18n'");
  }
}
