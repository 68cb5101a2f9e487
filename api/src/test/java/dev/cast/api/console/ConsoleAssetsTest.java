package dev.cast.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ConsoleAssets} over the console as packaged. */
class ConsoleAssetsTest {
  private static final Pattern IMPORT = Pattern.compile("from '(\\.\\.?/[^']+)'");
  private final ConsoleAssets assets = ConsoleAssets.packaged();

  @Test
  void servesThePageItsStylesheetAndModulesWithTheirTypesAndAnEtag() {
    ConsoleAssets.Asset page = assets.find("index.html").orElseThrow();
    assertThat(page.type()).isEqualTo("text/html; charset=utf-8");
    assertThat(page.etag()).matches("\"[0-9a-f]{32}\"");
    assertThat(assets.find("console.css").orElseThrow().type()).startsWith("text/css");
    assertThat(assets.find("pages/deployments.js").orElseThrow().type())
        .startsWith("text/javascript");
  }

  @Test
  void findsNothingOutsideTheConsoleOrOfAnUnknownKind() {
    assertThat(assets.find("../dev/cast/api/CastApplication.class")).isEmpty();
    assertThat(assets.find("pages/../../config.yml")).isEmpty();
    assertThat(assets.find("/etc/passwd")).isEmpty();
    assertThat(assets.find("app.js.map")).isEmpty();
    assertThat(assets.find("nothing.js")).isEmpty();
    assertThat(assets.find("")).isEmpty();
    assertThat(assets.find(null)).isEmpty();
  }

  @Test
  void thePageHasNoInlineScriptAndEveryModuleItImportsIsServed() {
    String page = text("index.html");
    assertThat(page)
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContainPattern("\\son[a-z]+=");
    Deque<String> modules = new ArrayDeque<>();
    modules.add("app.js");
    Set<String> seen = new HashSet<>();
    while (!modules.isEmpty()) {
      String module = modules.pop();
      if (!seen.add(module)) {
        continue;
      }
      assertThat(assets.find(module)).as("module " + module).isPresent();
      String dir = module.contains("/") ? module.substring(0, module.lastIndexOf('/') + 1) : "";
      Matcher imports = IMPORT.matcher(text(module));
      while (imports.find()) {
        String target = imports.group(1);
        // Modules sit at the root or one directory down.
        modules.add(target.startsWith("../") ? target.substring(3) : dir + target.substring(2));
      }
    }
    assertThat(seen).contains("api.js", "dom.js", "pages/apps.js", "pages/services.js");
  }

  private String text(String path) {
    return new String(assets.find(path).orElseThrow().body(), StandardCharsets.UTF_8);
  }
}
