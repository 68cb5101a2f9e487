package dev.cast.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedConnectionTest {
  private static SharedConnection on(Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("test.db");
    return new SharedConnection("the test database", () -> DriverManager.getConnection(url));
  }

  @Test
  void aSecondHandleWaitsUntilTheFirstIsClosedAndGetsTheSameConnection(@TempDir Path dir)
      throws Exception {
    try (SharedConnection shared = on(dir)) {
      Jdbi jdbi = Jdbi.create(shared);
      Handle first = jdbi.open();
      CompletableFuture<Integer> second =
          CompletableFuture.supplyAsync(
              () -> {
                try (Handle h = jdbi.open()) {
                  return System.identityHashCode(h.getConnection());
                }
              });
      boolean waited;
      try {
        second.get(300, TimeUnit.MILLISECONDS);
        waited = false;
      } catch (TimeoutException e) {
        waited = true;
      }
      int firstConnection = System.identityHashCode(first.getConnection());
      first.close();

      assertThat(waited).as("the second handle waited for the first").isTrue();
      assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(firstConnection);
    }
  }

  @Test
  void aTransactionLeftOpenIsRolledBackBeforeTheNextUser(@TempDir Path dir) throws Exception {
    try (SharedConnection shared = on(dir)) {
      Connection setup = shared.openConnection();
      setup.createStatement().execute("create table t (x integer)");
      shared.closeConnection(setup);
      Connection careless = shared.openConnection();
      careless.setAutoCommit(false);
      careless.createStatement().execute("insert into t values (1)");
      shared.closeConnection(careless);

      Connection next = shared.openConnection();
      try (ResultSet rows = next.createStatement().executeQuery("select count(*) from t")) {
        assertThat(next.getAutoCommit()).isTrue();
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isZero();
      } finally {
        shared.closeConnection(next);
      }
    }
  }
}
