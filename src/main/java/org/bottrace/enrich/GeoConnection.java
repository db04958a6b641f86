package org.bottrace.enrich;

import com.maxmind.geoip2.DatabaseReader;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * The kind of line an address is on, from a MaxMind GeoIP2 Connection-Type database (or a compatible
 * mmdb with a {@code connection_type} field): "Cable/DSL", "Cellular", "Dialup" and "Satellite" are
 * subscribers' lines, "Corporate" a company's network. Document 004's administrator class asks exactly
 * this of a server's address; S25R answers it from the PTR name when there is one, this from the
 * registry when there is none. The database is memory-mapped.
 */
public final class GeoConnection implements Closeable {
  private final DatabaseReader reader;

  private GeoConnection(DatabaseReader reader) {
    this.reader = reader;
  }

  /**
   * Opens a database.
   *
   * @throws IOException when the file cannot be read or is not a MaxMind database
   * @throws IllegalArgumentException when it is a MaxMind database of another kind
   */
  public static GeoConnection open(Path file) throws IOException {
    DatabaseReader r = Mmdb.open(file, "has no connection types; give GeoIP2-Connection-Type", "Connection-Type");
    return new GeoConnection(r);
  }

  /** The database's edition and build time, for the enrichment's source. */
  public String source() {
    return Mmdb.source(reader);
  }

  /** The connection type of an address ("Cable/DSL", "Corporate", ...), or null when unknown. */
  public String lookup(String address) {
    InetAddress a = Mmdb.address(address);
    if (a == null) {
      return null;
    }
    try {
      return reader.tryConnectionType(a)
          .map(c -> c.connectionType() == null ? null : c.connectionType().toString())
          .orElse(null);
    } catch (IOException | com.maxmind.geoip2.exception.GeoIp2Exception | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Whether a connection type is a subscriber's line (a home, a phone, a satellite dish). */
  public static boolean subscriberLine(String type) {
    return type != null && (type.equals("Cable/DSL") || type.equals("Cellular") || type.equals("Dialup")
        || type.equals("Satellite"));
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
