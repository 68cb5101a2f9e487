package dev.cast.activities.ports;

import dev.cast.sqlite.SharedConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host-local SQLite state ({@code <dataDir>/agent.db}), owned by the host's agent. Opening it
 * runs the migrations in {@code classpath:db/host}; handles take turns on one connection ({@link
 * SharedConnection}), closed by {@link #close()}.
 */
public final class HostDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HostDatabase.class);

  private final SharedConnection connection;
  private final Jdbi jdbi;

  private HostDatabase(SharedConnection connection) {
    this.connection = connection;
    this.jdbi = Jdbi.create(connection);
  }

  public static HostDatabase open(Path dbFile) throws IOException {
    Files.createDirectories(dbFile.toAbsolutePath().getParent());
    // WAL and a busy timeout: SQLite has one writer, and other processes (a second agent on the
    // same data dir, a test) may open the file too. IMMEDIATE transactions take the write lock up
    // front instead of failing on upgrade.
    String url =
        "jdbc:sqlite:"
            + dbFile.toAbsolutePath()
            + "?journal_mode=WAL&busy_timeout=10000&transaction_mode=IMMEDIATE";
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/host").load().migrate();
    return new HostDatabase(
        new SharedConnection("the host database", () -> DriverManager.getConnection(url)));
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing the host database failed: {}", e.getMessage());
    }
  }
}
