package dev.cast.api.db;

import dev.cast.sqlite.SharedConnection;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The api's SQLite catalog. WAL, a busy timeout and IMMEDIATE transactions: with sqlite-jdbc's
 * defaults, concurrent read-then-write transactions fail with SQLITE_BUSY. Handles take turns on
 * one connection ({@link SharedConnection}).
 */
public final class Database {
  private Database() {}

  /**
   * Opens (and migrates) the catalog; {@code lifecycle} closes its connection when the api stops.
   */
  public static Jdbi open(Path file, LifecycleEnvironment lifecycle) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.enforceForeignKeys(true);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    Flyway.configure().dataSource(dataSource).locations("classpath:db/catalog").load().migrate();
    SharedConnection connection = new SharedConnection("the catalog", dataSource::getConnection);
    lifecycle.manage(
        new Managed() {
          @Override
          public void stop() throws Exception {
            connection.close();
          }
        });
    Jdbi jdbi = Jdbi.create(connection);
    JsonColumns.install(jdbi, Jackson.newObjectMapper());
    return jdbi;
  }
}
