package org.bottrace.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** EnrichmentTest's look-up of a server's enrichment in notices, for tests in other packages. */
public final class EnrichmentTestAccess {
  private EnrichmentTestAccess() {}

  public static JsonNode server(List<JsonNode> notices, String note, String ip) {
    return EnrichmentTest.server(notices, note, ip);
  }
}
