package dev.cast.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * One connection to a SQLite database, lent to one Jdbi handle at a time, in the order they asked.
 * A connection per handle cost about 0.3 ms of CPU to open each time, made every handle create the
 * WAL and shared-memory files and, as the last one closed, checkpoint and delete them again. SQLite
 * lets one transaction write at a time anyway: with IMMEDIATE transactions, concurrent ones waited
 * in SQLite's busy handler, which sleeps and retries in no order, and with fifty agents reporting
 * at once some waited past the busy timeout and failed. A fair queue in front of a single
 * connection makes them wait their turn instead. Used by the api's catalog and the agent's {@code
 * agent.db}.
 */
public final class SharedConnection implements ConnectionFactory, AutoCloseable {
  /** As long as SQLite's busy timeout: a handle waits no longer for its turn than it did. */
  public static final long WAIT_MILLIS = 10_000;

  /** Opens the connection: on first use, and again after a failure closed it. */
  @FunctionalInterface
  public interface Opener {
    Connection open() throws SQLException;
  }

  private final String database;
  private final Opener opener;
  private final Semaphore turn = new Semaphore(1, true);

  /** Guarded by {@link #turn}. */
  private Connection connection;

  /**
   * @param database what the database is, for errors: "the catalog", "the host database"
   */
  public SharedConnection(String database, Opener opener) {
    this.database = database;
    this.opener = opener;
  }

  @Override
  public Connection openConnection() throws SQLException {
    awaitTurn();
    try {
      if (connection == null || connection.isClosed()) {
        connection = opener.open();
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      turn.release();
      throw e;
    }
  }

  /** Takes the connection back, with no transaction left open on it, for the next handle. */
  @Override
  public void closeConnection(Connection lent) throws SQLException {
    try {
      if (!lent.getAutoCommit()) {
        lent.rollback();
        lent.setAutoCommit(true);
      }
    } catch (SQLException e) {
      connection = null;
      lent.close();
    } finally {
      turn.release();
    }
  }

  /** Closes the connection once the handle that holds it (if any) is done with it. */
  @Override
  public void close() throws SQLException {
    awaitTurn();
    try {
      if (connection != null) {
        connection.close();
      }
    } finally {
      connection = null;
      turn.release();
    }
  }

  private void awaitTurn() throws SQLException {
    try {
      if (!turn.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new SQLException(database + " stayed busy for " + WAIT_MILLIS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for " + database, e);
    }
  }
}
