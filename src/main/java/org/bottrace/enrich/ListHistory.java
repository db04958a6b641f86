package org.bottrace.enrich;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * When each entry of each list was listed: every load of a list is recorded (its date and its
 * entries) in an embedded H2 database, and from the loads the first and last date each entry was on the
 * list. Document 004: a C&amp;C server still listed after about nine months (270 days) is run by a
 * bullet-proof hoster or nobody; one listed for less than a week and then removed was taken down by an
 * administrator (professional).
 *
 * <p>H2 because it is pure Java (one jar, no native library), keeps one file, and speaks SQL; the file is
 * {@code PATH.mv.db}. One process at a time: H2 locks the file.
 */
public final class ListHistory implements AutoCloseable {
  private final Connection db;

  /**
   * A listing: the list, the entry, its first and last listed dates, whether the latest load has it, and
   * whether every load between its first and last date had it (continuously listed).
   */
  public record Listing(String list, String entry, LocalDate first, LocalDate last, boolean current,
      LocalDate latestLoad, boolean continuous) {
    /** Days between the first and the last date it was seen listed. */
    public long days() {
      return ChronoUnit.DAYS.between(first, last);
    }
  }

  private ListHistory(Connection db) throws SQLException {
    this.db = db;
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS loads (list VARCHAR(200) NOT NULL, loaded DATE NOT NULL,"
          + " entries INT NOT NULL, PRIMARY KEY (list, loaded))");
      s.execute("CREATE TABLE IF NOT EXISTS listing (list VARCHAR(200) NOT NULL, entry VARCHAR(300) NOT NULL,"
          + " first_seen DATE NOT NULL, last_seen DATE NOT NULL, loads_seen INT NOT NULL DEFAULT 1,"
          + " PRIMARY KEY (list, entry))");
    }
  }

  /** Opens (or makes) the history at {@code path} (H2 adds .mv.db). */
  public static ListHistory open(Path path) throws SQLException {
    String url = "jdbc:h2:file:" + path.toAbsolutePath() + ";AUTO_SERVER=FALSE";
    return new ListHistory(DriverManager.getConnection(url, "bottrace", ""));
  }

  /** An in-memory history, for one run. */
  public static ListHistory memory() throws SQLException {
    return new ListHistory(DriverManager.getConnection("jdbc:h2:mem:", "bottrace", ""));
  }

  /** Records that {@code list} held {@code entries} on {@code date}. Loading the same date again adds to it. */
  public void record(String list, LocalDate date, List<String> entries) throws SQLException {
    db.setAutoCommit(false);
    try {
      boolean newDate;
      try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM loads WHERE list = ? AND loaded = ?")) {
        q.setString(1, list);
        q.setObject(2, date);
        try (ResultSet r = q.executeQuery()) {
          newDate = !r.next();
        }
      }
      try (PreparedStatement p = db.prepareStatement("MERGE INTO loads (list, loaded, entries) KEY (list, loaded)"
          + " VALUES (?, ?, ?)")) {
        p.setString(1, list);
        p.setObject(2, date);
        p.setInt(3, entries.size());
        p.executeUpdate();
      }
      try (PreparedStatement ins = db.prepareStatement("INSERT INTO listing (list, entry, first_seen, last_seen)"
          + " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM listing WHERE list = ? AND entry = ?)");
          PreparedStatement upd = db.prepareStatement("UPDATE listing SET first_seen = LEAST(first_seen, ?),"
              + " last_seen = GREATEST(last_seen, ?), loads_seen = loads_seen + ? WHERE list = ? AND entry = ?")) {
        for (String e : entries) {
          ins.setString(1, list);
          ins.setString(2, e);
          ins.setObject(3, date);
          ins.setObject(4, date);
          ins.setString(5, list);
          ins.setString(6, e);
          ins.addBatch();
          upd.setObject(1, date);
          upd.setObject(2, date);
          upd.setInt(3, newDate ? 1 : 0);
          upd.setString(4, list);
          upd.setString(5, e);
          upd.addBatch();
        }
        upd.executeBatch(); // entries already listed: one more load (a date loaded again counts once)
        ins.executeBatch(); // new entries: loads_seen starts at 1
      }
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  /** The listings of an entry on every list, or none. */
  public List<Listing> lookup(String entry) throws SQLException {
    return lookup(entry, null);
  }

  /**
   * The lists an entry was on as of {@code asOf} (null: the latest load): only loads up to that day count,
   * so an old incident's listings are what they were then, whatever was loaded since. Whether it was on
   * every load between is judged over the whole history.
   */
  public List<Listing> lookup(String entry, LocalDate asOf) throws SQLException {
    if (asOf == null) {
      asOf = LocalDate.of(9999, 12, 31); // the latest load
    }
    List<Listing> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement("SELECT l.list, l.first_seen, l.last_seen,"
        + " (SELECT MAX(loaded) FROM loads d WHERE d.list = l.list AND d.loaded <= ?), l.loads_seen,"
        + " (SELECT COUNT(*) FROM loads d WHERE d.list = l.list AND d.loaded BETWEEN l.first_seen AND l.last_seen)"
        + " FROM listing l WHERE l.entry = ? AND l.first_seen <= ? ORDER BY l.list")) {
      p.setObject(1, asOf);
      p.setString(2, entry);
      p.setObject(3, asOf);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          LocalDate first = r.getObject(2, LocalDate.class);
          LocalDate latest = r.getObject(4, LocalDate.class);
          LocalDate last = r.getObject(3, LocalDate.class);
          LocalDate lastThen = last.isAfter(latest) ? latest : last;
          out.add(new Listing(r.getString(1), entry, first, lastThen, !last.isBefore(latest), latest,
              r.getInt(5) >= r.getInt(6)));
        }
      }
    }
    return out;
  }



  /** The dates a list was loaded, oldest first. */
  public List<LocalDate> loads(String list) throws SQLException {
    List<LocalDate> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement("SELECT loaded FROM loads WHERE list = ? ORDER BY loaded")) {
      p.setString(1, list);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(r.getObject(1, LocalDate.class));
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
