package dev.cast.activities.ports;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * One connection to the host database, lent to one handle at a time, in the order they asked. A
 * connection per handle made every handle open the file (about 0.3 ms of CPU), create its WAL and
 * shared-memory files, and, as the last one closed, checkpoint and delete them again: a few
 * milliseconds of file-system work per port lookup, several per release activation. SQLite runs one
 * writing transaction at a time anyway, and the agent's transactions are short.
 */
final class SharedConnection implements ConnectionFactory, AutoCloseable {
  /** As long as SQLite's busy timeout: a handle waits no longer for its turn than it did. */
  static final long WAIT_MILLIS = 10_000;

  private final String url;
  private final Semaphore turn = new Semaphore(1, true);

  /** Opened on first use, and again after a failure closed it; guarded by {@link #turn}. */
  private Connection connection;

  SharedConnection(String url) {
    this.url = url;
  }

  @Override
  public Connection openConnection() throws SQLException {
    awaitTurn();
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(url);
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
        throw new SQLException("the host database stayed busy for " + WAIT_MILLIS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the host database", e);
    }
  }
}
