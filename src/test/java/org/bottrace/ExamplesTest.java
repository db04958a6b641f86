package org.bottrace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled example gives exactly the notices it ships with, in both formats. */
class ExamplesTest {
  @Test
  void examples_jsonNoticesAsShipped() throws Exception {
    Run r = Run.of("replay", "--config", "examples/bottrace.yaml", "examples/logs");
    assertEquals(0, r.code(), r.err());
    assertEquals(Files.readString(Path.of("examples/expected/notices.json")), r.out());
    assertEquals("bottrace replay: IRC::Botnet evidence: irc.log yes, conn.log yes, irc_cmd.log yes, irc_pkt.log yes,"
        + " EVE yes", r.err().lines().findFirst().orElse(""));
    assertEquals(true, r.err().contains("\nbottrace replay: 15 files, 429 records (0 malformed, 0 late), 35 notices "
        + "(Bot::Download 2, Bot::Infection 3, DNS::CCResolution 2, Host::Summary 17, IRC::BotClient 3, IRC::CCServer 2,"
        + " IRC::ControlSession 3, Intel::Listed 2, Scan::Propagation 1), 90 suppressed in "), r.err());
  }

  @Test
  void examples_zeekLogAsShipped(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bottrace.log");
    Run r = Run.of("replay", "-q", "--config", "examples/bottrace.yaml", "--format", "zeek", "--out", out.toString(),
        "examples/logs");
    assertEquals(0, r.code(), r.err());
    assertEquals(Files.readString(Path.of("examples/expected/bottrace.log")), Files.readString(out));
  }
}
