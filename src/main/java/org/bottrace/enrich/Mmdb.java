package org.bottrace.enrich;

import com.maxmind.geoip2.DatabaseReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.bottrace.event.Addresses;

/** Opening MaxMind databases of one kind, and the address form their look-ups take. */
final class Mmdb {
  private Mmdb() {}

  /**
   * Opens {@code file} as a MaxMind database whose type contains one of {@code kinds}.
   *
   * @throws IOException when the file cannot be read or is not a MaxMind database
   * @throws IllegalArgumentException when it is a database of another kind ({@code hint} says what to give)
   */
  static DatabaseReader open(Path file, String hint, String... kinds) throws IOException {
    DatabaseReader r = new DatabaseReader.Builder(file.toFile()).build();
    String type = r.getMetadata().databaseType();
    for (String k : kinds) {
      if (type.contains(k)) {
        return r;
      }
    }
    r.close();
    throw new IllegalArgumentException("a " + type + " database " + hint);
  }

  /** "GeoLite2-ASN built 2024-...": the edition and build time, for the enrichment's source. */
  static String source(DatabaseReader r) {
    return r.getMetadata().databaseType() + " built " + r.getMetadata().buildTime();
  }

  /** The address to look up, or null for text that is not one. */
  static InetAddress address(String text) {
    byte[] b = Addresses.parse(text);
    try {
      return b == null ? null : InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
