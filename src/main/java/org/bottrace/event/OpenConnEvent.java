package org.bottrace.event;

/**
 * A row of a connection still open: corelight's long-connections package (conn_long.log) and activecm's
 * zeek-open-connections (open_conn.log, what RITA reads) write conn.log's columns for open connections at
 * intervals, each with the duration and counts so far. Not a finished connection: scans and downloads
 * do not count it; what it tells is how long a session has lasted by the time it was written.
 *
 * @param row the columns, as a conn.log row's
 * @param log which log it came from ("conn_long" or "open_conn")
 */
public record OpenConnEvent(ConnEvent row, String log) implements Event {
  @Override
  public long ts() {
    return row.ts();
  }

  /** Written when the connection had lasted its duration so far. */
  @Override
  public long availableAt() {
    return row.availableAt();
  }

  @Override
  public FlowKey flow() {
    return row.flow();
  }

  @Override
  public String ref() {
    return row.uid();
  }

  @Override
  public String type() {
    return log;
  }
}
