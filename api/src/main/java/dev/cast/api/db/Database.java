package dev.cast.api.db;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The api's SQLite catalog. WAL, a busy timeout and IMMEDIATE transactions: with sqlite-jdbc's
 * defaults, concurrent read-then-write transactions fail with SQLITE_BUSY.
 */
public final class Database {
  private Database() {}

  public static Jdbi open(Path file) throws java.io.IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.enforceForeignKeys(true);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    Flyway.configure().dataSource(dataSource).locations("classpath:db/catalog").load().migrate();
    return Jdbi.create(dataSource);
  }
}
