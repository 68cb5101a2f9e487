package dev.cast.activities.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cast.activities.host.AppLayout;
import dev.cast.bundle.BundleException;
import dev.cast.bundle.Manifest;
import dev.cast.bundle.ManifestParser;
import dev.cast.workflows.host.RenderedConfig;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseConfigTest {
  @TempDir Path dir;
  private AppLayout app;
  private Path release;
  private final FakeRegistry registry = new FakeRegistry();
  private final ReleaseConfig config = new ReleaseConfig("h1", "10.0.0.7");

  @BeforeEach
  void release() throws IOException {
    app = new AppLayout(dir.resolve("hello"));
    release = Files.createDirectories(app.releaseDir("2.0.0"));
    config.use(() -> registry, Map.of("role", "web"));
  }

  private static Manifest manifest(String templates) throws BundleException {
    return ManifestParser.parse(
        ("name: hello\nversion: 2.0.0\nservices:\n  web:\n    command: [./server]\n" + templates)
            .getBytes(StandardCharsets.UTF_8));
  }

  private RenderedConfig render(Manifest manifest) throws IOException {
    return config.render(app, "2.0.0", manifest, Map.of("http", 20001), Map.of());
  }

  @Test
  void writesEachFileWithItsModeAndKeepsTheRecord() throws Exception {
    registry.put("greeting", "Hej", 12).put("pw", "hunter2", 3);
    Files.writeString(release.resolve("app.tmpl"), "g={{key \"greeting\"}} {{host.labels.role}}\n");
    Files.writeString(release.resolve("pw.tmpl"), "{{secret (key \"pw\")}}");

    RenderedConfig rendered =
        render(
            manifest(
                "templates:\n  - {src: app.tmpl, dest: config/app.properties, mode: \"0640\"}\n"
                    + "  - {src: pw.tmpl, dest: pw, mode: \"0600\"}\n"));

    Path file = release.resolve("config/app.properties");
    assertThat(file).hasContent("g=Hej web");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r-----");
    assertThat(release.resolve("pw")).hasContent("hunter2");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(release.resolve("pw"))))
        .isEqualTo("rw-------");
    assertThat(rendered.index()).isEqualTo(12);
    assertThat(config.recorded(app, "2.0.0")).isEqualTo(rendered);
    assertThat(Files.readString(app.configRecord("2.0.0"))).doesNotContain("hunter2");
    try (var files = Files.list(release.resolve("config"))) {
      assertThat(files).containsExactly(file); // no temp file left
    }
  }

  @Test
  void writesNothingWhenOneTemplateFails() throws Exception {
    registry.put("greeting", "Hej", 1);
    Files.writeString(release.resolve("a.tmpl"), "{{key \"greeting\"}}");
    Files.writeString(release.resolve("b.tmpl"), "{{key \"missing\"}}");

    assertThatThrownBy(
            () ->
                render(
                    manifest(
                        "templates:\n  - {src: a.tmpl, dest: a.conf}\n"
                            + "  - {src: b.tmpl, dest: b.conf}\n")))
        .isInstanceOf(ApplicationFailure.class);

    assertThat(release.resolve("a.conf")).doesNotExist();
    assertThat(release.resolve("b.conf")).doesNotExist();
    assertThat(app.configRecord("2.0.0")).doesNotExist();
  }

  @Test
  void refusesToWriteThroughALinkOutOfTheRelease() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(release.resolve("etc"), outside);
    Files.writeString(release.resolve("a.tmpl"), "x");

    assertThatThrownBy(() -> render(manifest("templates:\n  - {src: a.tmpl, dest: etc/a.conf}\n")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("through a link");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void aReleaseWithoutTemplatesHasNoRecord() throws Exception {
    assertThat(render(manifest(""))).isNull();
    assertThat(config.recorded(app, "2.0.0")).isNull();
  }
}
