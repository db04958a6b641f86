package org.bottrace.detect.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real benign network's DNS (brimdata's WRCCDC 2018 capture, 53,615 answers, CC BY-SA 4.0): Google's
 * load-balanced names and the pool.ntp.org names churn through as many addresses in as many networks as a
 * fast-flux name, and used to be called DNS::FastFlux (20 notices); no DNS anomaly may be said of it.
 */
class BenignDnsTest {
  @ParameterizedTest
  @ValueSource(strings = {"brimdata/zeek-default/dns.log.gz", "brimdata/zeek-json/dns.json.gz"})
  void cdnAndServerPoolNames_areNotFastFlux_norAnyDnsAnomaly(String file) {
    Run r = Run.of("replay", "--stats", "/dev/null", TestFiles.data(file).toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("53615 records") || r.err().contains("53,615 records"), "all of it read: " + r.err());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(List.of(), n.stream().map(x -> x.get("note").asText() + " " + x.get("sub").asText()).toList());
  }
}
