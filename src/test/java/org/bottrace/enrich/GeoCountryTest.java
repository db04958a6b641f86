package org.bottrace.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;

/** MaxMind's own test databases (MaxMind-DB test-data, Apache-2.0 or MIT). */
class GeoCountryTest {
  @Test
  void countryDatabase() throws Exception {
    try (GeoCountry g = GeoCountry.open(TestFiles.data("maxmind/GeoLite2-Country-Test.mmdb"))) {
      assertEquals("GeoLite2-Country", g.edition());
      assertEquals("GB", g.country("81.2.69.142"));
      assertEquals("US", g.country("50.114.0.1"));
      assertNull(g.country("10.0.0.1"), "not in the database");
      assertNull(g.country("not an address"));
    }
  }

  @Test
  void cityDatabaseGivesCountriesToo() throws Exception {
    try (GeoCountry g = GeoCountry.open(TestFiles.data("maxmind/GeoIP2-City-Test.mmdb"))) {
      assertEquals("GB", g.country("81.2.69.142"));
    }
  }

  @Test
  void notADatabase() {
    assertThrows(java.io.IOException.class, () -> GeoCountry.open(TestFiles.data("maxmind/LICENSE-MIT")));
  }
}
