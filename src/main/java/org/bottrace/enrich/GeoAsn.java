package org.bottrace.enrich;

import com.maxmind.geoip2.DatabaseReader;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import org.bottrace.event.Addresses;

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
  private final String edition;

  private GeoAsn(DatabaseReader reader) {
    this.reader = reader;
    this.edition = reader.getMetadata().databaseType();
  }

  /**
   * Opens a database.
   *
   * @throws IOException when the file cannot be read or is not a MaxMind database
   * @throws IllegalArgumentException when it is a MaxMind database without ASNs (Country, City, ...)
   */
  public static GeoAsn open(Path file) throws IOException {
    DatabaseReader r = new DatabaseReader.Builder(file.toFile()).build();
    String type = r.getMetadata().databaseType();
    if (!type.contains("ASN") && !type.contains("ISP")) {
      r.close();
      throw new IllegalArgumentException("a " + type + " database has no ASNs; give GeoLite2-ASN or an ISP one");
    }
    return new GeoAsn(r);
  }

  /** The database's edition and build time, for the enrichment's source. */
  public String source() {
    return edition + " built " + reader.getMetadata().buildTime();
  }

  /** The autonomous system of an address, or null when the database does not know it. */
  public Asn lookup(String address) {
    byte[] b = Addresses.parse(address);
    if (b == null) {
      return null;
    }
    try {
      return reader.tryAsn(InetAddress.getByAddress(b))
          .filter(a -> a.autonomousSystemNumber() != null)
          .map(a -> new Asn(a.autonomousSystemNumber(), a.autonomousSystemOrganization()))
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
