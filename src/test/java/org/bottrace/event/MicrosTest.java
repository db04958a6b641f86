package org.bottrace.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MicrosTest {
  @Test
  void parseEpoch_zeekTime() {
    assertEquals(1795309823489295L, Micros.parseEpoch("1795309823.489295", 0, 17));
    assertEquals(753L, Micros.parseEpoch("0.000753", 0, 8));
    assertEquals(19_980_000L, Micros.parseEpoch("19.98", 0, 5));
    assertEquals(2230_000_000L, Micros.parseEpoch("2230.000000", 0, 11));
    assertEquals(-1_500_000L, Micros.parseEpoch("-1.5", 0, 4));
  }

  @Test
  void parseEpoch_roundsBeyondMicroseconds() {
    assertEquals(870L, Micros.parseEpoch("0.0008699893951416016", 0, 21));
    assertEquals(1L, Micros.fromDouble(1e-06));
  }

  @Test
  void parseEpoch_rejectsCanonicalisedBtestTime() {
    assertThrows(NumberFormatException.class, () -> Micros.parseEpoch("XXXXXXXXXX.XXXXXX", 0, 17));
  }

  @Test
  void parseIso_zeekAndSuricataForms() {
    assertEquals(1521911720865716L, Micros.parseIso("2018-03-24T17:15:20.865716Z"));
    assertEquals(1795309823485329L, Micros.parseIso("2026-11-22T01:10:23.485329+0000"));
    // Slips' EVE is in local time with an offset
    assertEquals(Micros.parseIso("2021-06-06T14:26:27.431769Z"), Micros.parseIso("2021-06-06T16:26:27.431769+0200"));
    assertEquals(Micros.parseIso("2021-06-06T14:26:27Z"), Micros.parseIso("2021-06-06T16:26:27+02:00"));
    assertEquals(Micros.parseIso("2009-11-24T21:27:09.534255Z"), Micros.parseIso("2009-11-24T21:27:09.534255"));
  }

  @Test
  void parseIso_rejectsNonsense() {
    assertThrows(NumberFormatException.class, () -> Micros.parseIso("2018-13-24T17:15:20Z"));
    assertThrows(NumberFormatException.class, () -> Micros.parseIso("yesterday at noon, roughly"));
  }

  @Test
  void formatEpoch_sixDecimals() {
    assertEquals("1795309823.489295", Micros.formatEpoch(1795309823489295L));
    assertEquals("0.000007", Micros.formatEpoch(7));
  }
}
