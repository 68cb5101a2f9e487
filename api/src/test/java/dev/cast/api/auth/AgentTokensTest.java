package dev.cast.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTokensTest {
  @TempDir Path dir;

  @Test
  void createsTheTokenFileReadableByItsOwnerOnly() throws Exception {
    String token = AgentTokens.resolve(null, dir.resolve("data"));

    Path file = dir.resolve("data/agent-token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).isEqualTo(token + "\n");
    assertThat(token).hasSize(48).matches("[0-9a-f]+");
    try (Stream<Path> files = Files.list(dir.resolve("data"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("agent-token");
    }
  }

  @Test
  void keepsTheTokenAcrossRestarts() throws Exception {
    String first = AgentTokens.resolve("", dir);

    assertThat(AgentTokens.resolve(null, dir)).isEqualTo(first);
  }

  @Test
  void aConfiguredTokenWinsAndNoFileIsWritten() throws Exception {
    assertThat(AgentTokens.resolve(" secret ", dir)).isEqualTo("secret");
    assertThat(dir.resolve("agent-token")).doesNotExist();
  }
}
