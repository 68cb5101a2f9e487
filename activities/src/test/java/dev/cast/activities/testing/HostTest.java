package dev.cast.activities.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link TestHost} in a temp dir for each test, closed (processes killed) after it. */
public abstract class HostTest {
  @TempDir protected Path root;
  protected TestHost host;

  @BeforeEach
  void openHost() throws Exception {
    host = new TestHost(root);
  }

  @AfterEach
  void closeHost() throws Exception {
    host.close();
  }
}
