package dev.cast.activities.ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The host-local SQLite state ({@code <dataDir>/agent.db}), owned by the host's agent. Opening it
 * runs the migrations in {@code classpath:db/host}.
 */
public final class HostDatabase {
  private HostDatabase() {}

  public static Jdbi open(Path dbFile) throws IOException {
    Files.createDirectories(dbFile.toAbsolutePath().getParent());
    // WAL and a busy timeout: SQLite has one writer, and the agent runs activities concurrently.
    // IMMEDIATE transactions take the write lock up front instead of failing on upgrade.
    String url =
        "jdbc:sqlite:"
            + dbFile.toAbsolutePath()
            + "?journal_mode=WAL&busy_timeout=10000&transaction_mode=IMMEDIATE";
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/host").load().migrate();
    return Jdbi.create(url);
  }
}
