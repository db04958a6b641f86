package org.bottrace.enrich;

import com.maxmind.geoip2.DatabaseReader;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * The network operator (autonomous system) of an address, from a MaxMind GeoLite2-ASN database or a
 * compatible mmdb (GeoIP2-ISP has the same fields). Who runs the network a server is in says much of its
 * administrator (a hosting company, a residential ISP), and how many operators stand behind a name's
 * answers is the literature's measure of a fast-flux network. The database is memory-mapped.
 */
public final class GeoAsn implements Closeable {
  /** An autonomous system: its number and the organisation that holds it (null when the database has none). */
  public record Asn(long number, String organization) {}

  private final DatabaseReader reader;

  private GeoAsn(DatabaseReader reader) {
    this.reader = reader;
  }

  /**
   * Opens a database.
   *
   * @throws IOException when the file cannot be read or is not a MaxMind database
   * @throws IllegalArgumentException when it is a MaxMind database without ASNs (Country, City, ...)
   */
  public static GeoAsn open(Path file) throws IOException {
    DatabaseReader r = Mmdb.open(file, "has no ASNs; give GeoLite2-ASN or an ISP one", "ASN", "ISP");
    return new GeoAsn(r);
  }

  /** The database's edition and build time, for the enrichment's source. */
  public String source() {
    return Mmdb.source(reader);
  }

  /** The autonomous system of an address, or null when the database does not know it. */
  public Asn lookup(String address) {
    InetAddress a = Mmdb.address(address);
    if (a == null) {
      return null;
    }
    try {
      return reader.tryAsn(a)
          .filter(x -> x.autonomousSystemNumber() != null)
          .map(x -> new Asn(x.autonomousSystemNumber(), x.autonomousSystemOrganization()))
          .orElse(null);
    } catch (IOException | com.maxmind.geoip2.exception.GeoIp2Exception | UnsupportedOperationException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
