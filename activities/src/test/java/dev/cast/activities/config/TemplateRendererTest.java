package dev.cast.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cast.bundle.TemplateSpec;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateRendererTest {
  private static final TemplateInputs INPUTS =
      new TemplateInputs(
          "h1",
          "10.0.0.7",
          Map.of("role", "db", "zone", "a"),
          Map.of("http", 20001, "admin", 20002),
          Map.of("GREETING_STYLE", "loud"));

  @TempDir Path release;
  private final FakeRegistry registry = new FakeRegistry();
  private final TemplateRenderer renderer = new TemplateRenderer();

  private TemplateRenderer.Result renderAll(String... texts) throws IOException {
    List<TemplateSpec> specs = new java.util.ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      Files.writeString(release.resolve("t" + i + ".tmpl"), texts[i]);
      specs.add(new TemplateSpec("t" + i + ".tmpl", "conf/t" + i, 0640, "rollout"));
    }
    return renderer.render(specs, release, INPUTS, registry);
  }

  private String render(String text) throws IOException {
    return renderAll(text).files().get(0).text();
  }

  /** The failure's own message (without ApplicationFailure's type and flags). */
  private AbstractStringAssert<?> failsToRender(String text) {
    Throwable thrown = catchThrowable(() -> render(text));
    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown;
    assertThat(failure.getType()).isEqualTo("CONFIG_TEMPLATE_FAILED");
    assertThat(failure.isNonRetryable()).isTrue();
    return assertThat(failure.getOriginalMessage());
  }

  @Test
  void keyRendersTheValue() throws Exception {
    registry.put("config/hello/greeting", "Bonjour", 7);

    assertThat(render("greeting={{key \"config/hello/greeting\"}}\n"))
        .isEqualTo("greeting=Bonjour\n");
  }

  @Test
  void keyOrDefaultFallsBackOnlyWhenTheKeyIsMissing() throws Exception {
    registry.put("a", "set", 1);

    assertThat(render("{{keyOrDefault \"a\" \"dflt\"}} {{keyOrDefault \"b\" \"dflt\"}}"))
        .isEqualTo("set dflt");
  }

  @Test
  void lsListsTheKeysDirectlyUnderAPrefixInOrder() throws Exception {
    registry
        .put("config/hello/b", "2", 1)
        .put("config/hello/a", "1", 2)
        .put("config/hello/deeper/c", "3", 3)
        .put("config/other", "x", 4);

    assertThat(render("{{#each (ls \"config/hello\")}}{{@key}}={{this}};{{/each}}"))
        .isEqualTo("a=1;b=2;");
  }

  @Test
  void serviceListsHealthyInstancesWithTagsAndMeta() throws Exception {
    registry.services.put(
        "pg-db",
        List.of(
            new ServiceInstance(
                "pg-1", "n1", "10.0.0.1", 5432, List.of("primary"), Map.of("v", "16")),
            new ServiceInstance("pg-2", "n2", "10.0.0.2", 5433, List.of(), Map.of())));

    assertThat(
            render(
                "{{#each (service \"pg-db\")}}{{address}}:{{port}}"
                    + "{{#each tags}}[{{this}}]{{/each}}{{meta.v}},{{/each}}"))
        .isEqualTo("10.0.0.1:5432[primary]16,10.0.0.2:5433,");
  }

  @Test
  void hostPortsAndEnvironmentAreThere() throws Exception {
    assertThat(
            render(
                "{{host.name}} {{host.address}} {{host.labels.role}} {{ports.http}}"
                    + " {{env \"GREETING_STYLE\"}} [{{env \"NOT_SET\"}}]"))
        .isEqualTo("h1 10.0.0.7 db 20001 loud []");
  }

  @Test
  void conditionsAndLoopsUseHandlebarsSyntax() throws Exception {
    assertThat(render("{{#if (eq host.labels.role \"db\")}}primary{{else}}replica{{/if}}"))
        .isEqualTo("primary");
  }

  @Test
  void doesNotEscapeHtml() throws Exception {
    registry.put("jdbc", "jdbc:pg://db/x?a=1&b=<2>'\"", 1);

    assertThat(render("url={{key \"jdbc\"}}")).isEqualTo("url=jdbc:pg://db/x?a=1&b=<2>'\"");
  }

  @Test
  void aMissingKeyFailsNamingTemplateLineAndKey() {
    failsToRender("a=1\n\nb={{key \"config/hello/nope\"}}\n")
        .isEqualTo(
            "template t0.tmpl line 3: key \"config/hello/nope\" is not in the registry"
                + " (rendering conf/t0)");
  }

  @Test
  void aMissingKeyInsideALoopOrSubexpressionNamesItsOwnLine() {
    registry.put("p/a", "1", 1);

    failsToRender("x\n{{#each (ls \"p/\")}}\n{{secret (key \"p/missing\")}}\n{{/each}}\n")
        .startsWith("template t0.tmpl line 3: key \"p/missing\" is not in the registry");
  }

  @Test
  void aServiceWithoutAHealthyInstanceFails() {
    failsToRender("{{#each (service \"pg-db\")}}{{address}}{{/each}}")
        .startsWith("template t0.tmpl line 1: service \"pg-db\" has no healthy instance");
  }

  @Test
  void aHelperCalledWrongFailsWithTheLine() {
    failsToRender("\n{{key}}").contains("template t0.tmpl line 2: key takes a name");
  }

  @Test
  void partialsAreRefused() {
    failsToRender("{{> etc/passwd}}").contains("cannot include other templates");
  }

  @Test
  void javaObjectsAreNotReachable() throws Exception {
    assertThat(render("[{{host.class}}][{{host.name.bytes}}][{{ports.http.class.name}}]"))
        .isEqualTo("[][][]");
  }

  @Test
  void aSecretIsRenderedInTheFileAndMaskedInTheRecord() throws Exception {
    registry.put("db/password", "s3cr3t-pw", 5).put("db/user", "app", 4);

    TemplateRenderer.Rendered file =
        renderAll("user={{key \"db/user\"}}\npassword={{secret (key \"db/password\")}}\n")
            .files()
            .get(0);

    assertThat(file.text()).isEqualTo("user=app\npassword=s3cr3t-pw\n");
    assertThat(file.record().content()).isEqualTo("user=app\npassword=••••••\n");
    assertThat(file.record().secrets()).isEqualTo(1);
    assertThat(file.record()).hasToString(file.record().toString().replace("s3cr3t", "x"));
  }

  @Test
  void recordsTheHighestIndexReadAndReadsEachKeyOnce() throws Exception {
    registry.put("a", "1", 3).put("b", "2", 9);

    TemplateRenderer.Result result =
        renderAll("{{key \"a\"}}{{key \"a\"}}", "{{key \"b\"}}{{secret (key \"a\")}}");

    assertThat(result.index()).isEqualTo(9);
    assertThat(result.record().index()).isEqualTo(9);
    assertThat(result.record().files())
        .extracting(f -> f.dest() + " " + f.mode() + " " + f.onChange())
        .containsExactly("conf/t0 0640 rollout", "conf/t1 0640 rollout");
    assertThat(registry.reads).containsExactly("key a", "key b");
  }

  @Test
  void anUnreachableRegistryIsAnIOExceptionSoTheActivityRetries() {
    registry.down = true;

    assertThatThrownBy(() -> render("{{key \"a\"}}"))
        .isInstanceOf(IOException.class)
        .hasMessage("connection refused");
  }
}
