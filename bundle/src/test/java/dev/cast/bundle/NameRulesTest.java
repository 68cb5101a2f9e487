package dev.cast.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {"1", "1.0.0", "v2", "1.0.0-rc.1+build.5", "_x", "-x", "+x", "a.."})
  void acceptsVersions(String version) {
    assertThat(NameRules.versionProblem(version)).isEmpty();
    assertThat(NameRules.isVersion(version)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", ".hidden", "./x", "../x"})
  void refusesVersionsStartingWithADot(String version) {
    assertThat(NameRules.versionProblem(version))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .startsWith("\"" + version + "\" is not a valid version: ")
                    .contains("it must not start with '.'"));
    assertThat(NameRules.isVersion(version)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "1 0", "1\n", "é", "a:b", "1.0/..", "\\x"})
  void refusesVersionsWithOtherCharacters(String version) {
    assertThat(NameRules.versionProblem(version))
        .hasValueSatisfying(p -> assertThat(p).contains("a character that is not allowed"));
  }

  @Test
  void versionsAreAtMost64Characters() {
    assertThat(NameRules.versionProblem("1".repeat(64))).isEmpty();
    assertThat(NameRules.versionProblem("1".repeat(65)))
        .hasValueSatisfying(p -> assertThat(p).contains("it is 65 characters long"));
    assertThat(NameRules.versionProblem(""))
        .hasValueSatisfying(p -> assertThat(p).contains("empty"));
    assertThat(NameRules.versionProblem(null)).hasValue("a valid version is missing");
  }

  @Test
  void escapesControlCharactersInTheMessage() {
    assertThat(NameRules.versionProblem("1\u001b[2J"))
        .hasValueSatisfying(
            p -> assertThat(p).startsWith("\"1\\x1b[2J\"").doesNotContain("\u001b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "hello", "my-app-2", "0"})
  void acceptsAppNames(String name) {
    assertThat(NameRules.appProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "A", "my_app", ".a", "a.b", "..", "a/b"})
  void refusesAppNames(String name) {
    assertThat(NameRules.appProblem(name)).isPresent();
    assertThat(NameRules.isApp(name)).isFalse();
  }

  @Test
  void appNamesAreAtMost63Characters() {
    assertThat(NameRules.appProblem("a".repeat(63))).isEmpty();
    assertThat(NameRules.appProblem("a".repeat(64))).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"web", "worker_2", "a-b", "9"})
  void acceptsServiceNames(String name) {
    assertThat(NameRules.serviceProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Web", "_web", ".web", "..", "a.b", "a/b"})
  void refusesServiceNames(String name) {
    assertThat(NameRules.serviceProblem(name))
        .hasValueSatisfying(p -> assertThat(p).contains("is not a valid service name"));
  }
}
