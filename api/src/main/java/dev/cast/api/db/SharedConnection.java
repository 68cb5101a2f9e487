package dev.cast.api.db;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * One connection to the catalog, lent to one handle at a time, in the order they asked. A
 * connection per handle cost about 0.3 ms of CPU to open each time (agents report their services on
 * every change), and SQLite lets one transaction write at a time anyway: every transaction here is
 * IMMEDIATE, so concurrent ones waited in SQLite's busy handler, which sleeps and retries with no
 * order, and with fifty agents reporting at once some waited past the busy timeout and failed. A
 * fair queue in front of a single connection makes them wait their turn instead. Closed when the
 * api stops.
 */
final class SharedConnection implements ConnectionFactory, Managed {
  /** As long as SQLite's busy timeout: a handle waits no longer for its turn than it did. */
  static final long WAIT_MILLIS = 10_000;

  private final DataSource source;
  private final Semaphore turn = new Semaphore(1, true);

  /** Opened on first use, and again after a failure closed it; guarded by {@link #turn}. */
  private Connection connection;

  SharedConnection(DataSource source) {
    this.source = source;
  }

  @Override
  public Connection openConnection() throws SQLException {
    awaitTurn();
    try {
      if (connection == null || connection.isClosed()) {
        connection = source.getConnection();
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      turn.release();
      throw e;
    }
  }

  private void awaitTurn() throws SQLException {
    try {
      if (!turn.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new SQLException("the catalog stayed busy for " + WAIT_MILLIS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the catalog", e);
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
  public void stop() throws SQLException {
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
}
