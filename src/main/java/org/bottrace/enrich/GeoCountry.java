package org.bottrace.enrich;

import com.maxmind.geoip2.DatabaseReader;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.bottrace.event.Addresses;

/**
 * The country of an address from a MaxMind GeoIP2/GeoLite2 Country or City database (document 004 used
 * GeoLite Country). Thread-confined like the rest of the pipeline; the database is memory-mapped.
 */
public final class GeoCountry implements Closeable {
  private final DatabaseReader reader;
  private final boolean city;
  private final String edition;

  private GeoCountry(DatabaseReader reader) {
    this.reader = reader;
    this.edition = reader.getMetadata().databaseType();
    this.city = edition.contains("City");
  }

  /**
   * Opens a database.
   *
   * @throws IOException when the file cannot be read or is not a MaxMind database
   * @throws IllegalArgumentException when it is a MaxMind database of another kind (ASN, ISP, ...)
   */
  public static GeoCountry open(Path file) throws IOException {
    DatabaseReader r = new DatabaseReader.Builder(file.toFile()).build();
    String type = r.getMetadata().databaseType();
    if (!type.contains("Country") && !type.contains("City")) {
      r.close();
      throw new IllegalArgumentException("a " + type + " database has no countries; give a Country or City one");
    }
    return new GeoCountry(r);
  }

  /** The database's edition, e.g. GeoLite2-Country, for the enrichment's source. */
  public String edition() {
    return edition;
  }

  /** When the database was built (from its metadata), for the enrichment's version. */
  public String buildDate() {
    return reader.getMetadata().buildTime().toString();
  }

  /** The ISO country code of an address, or null when the database does not know it. */
  public String country(String address) {
    byte[] b = Addresses.parse(address);
    if (b == null) {
      return null;
    }
    try {
      InetAddress a = InetAddress.getByAddress(b);
      Optional<com.maxmind.geoip2.record.Country> c = city
          ? reader.tryCity(a).map(r -> r.country())
          : reader.tryCountry(a).map(r -> r.country());
      return c.map(x -> x.isoCode()).orElse(null);
    } catch (IOException | com.maxmind.geoip2.exception.GeoIp2Exception e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
