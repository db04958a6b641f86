package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonScanner} against Jackson's streaming parser ({@link JsonLine#withJackson}), the reader it
 * replaces: every JSON line of the test logs and the examples, and hundreds of thousands of mutations of
 * them (bytes changed, dropped, added, lines cut), read with and without the EVE filter, must be refused
 * by both or read by both into equal maps. A longer run: {@code -Dbottrace.fuzz.lines=3000000
 * -Dbottrace.fuzz.seed=N}.
 */
class JsonScannerTest {
  private static final JsonLine.Filter[] FILTERS = {null, EveKinds.FIELDS};

  /** Every line that starts with '{' in the JSON logs of the test data and of the examples. */
  static List<byte[]> corpus() throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Path root : List.of(TestFiles.resource("data"), Path.of("examples"))) {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
          String n = f.getFileName().toString();
          if (!n.endsWith(".json") && !n.endsWith(".log")) {
            continue;
          }
          byte[] all = Files.readAllBytes(f);
          int from = 0;
          for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
              if (i > from && all[from] == '{') {
                out.add(java.util.Arrays.copyOfRange(all, from, i));
              }
              from = i + 1;
            }
          }
        }
      }
    }
    return out;
  }

  /** The map read, or the refusal as "refused". */
  private static Object read(byte[] b, JsonLine.Filter f, boolean jackson) {
    Map<String, Object> m = new HashMap<>();
    try {
      if (jackson) {
        JsonLine.withJackson(b, 0, b.length, f, m);
      } else {
        JsonScanner.get().parse(b, 0, b.length, f, m);
      }
      return m;
    } catch (MalformedException e) {
      if (e.getMessage().startsWith("a field name, with the names of the objects it is in, of more than ")) {
        return FLAT;
      }
      assertTrue(e.getMessage().startsWith("not valid JSON: ") || e.getMessage().equals("not a JSON object")
          || e.getMessage().equals("text after the JSON object"), e.getMessage());
      return "refused";
    }
  }

  /** Jackson takes a line whose first bytes hold a zero or a UTF-16/32 byte order mark for UTF-16 or 32. */
  private static boolean otherEncoding(byte[] b) {
    for (int i = 0; i < Math.min(4, b.length); i++) {
      if (b[i] == 0) {
        return true;
      }
    }
    return b.length >= 2 && ((b[0] & 0xff) == 0xFE || (b[0] & 0xff) == 0xFF);
  }

  /**
   * Jackson's one known misreading: it matches field names to the names it has seen as 4-byte quads, and
   * pads a name's last quad with 0xff bytes, so a name holding a 0xff byte (no UTF-8) near its end can
   * match a valid name seen before ("flow\xffid" read as "flowid"). The scanner refuses the line.
   */
  private static boolean jacksonsPadding(byte[] b) {
    for (byte x : b) {
      if (x == (byte) 0xFF) {
        try {
          JsonScanner.get().parse(b, 0, b.length, null, new HashMap<>());
        } catch (MalformedException e) {
          return e.getMessage().startsWith("not valid JSON: invalid UTF-8 byte 0xff");
        }
      }
    }
    return false;
  }

  /** The scanner's own refusal, which Jackson does not make: a flattened name past JsonScanner.MAX_FLAT. */
  private static final String FLAT = "refused: a flattened name too long";

  private static int same(byte[] b) {
    int read = 0;
    for (JsonLine.Filter f : FILTERS) {
      Object j = read(b, f, true);
      Object s = read(b, f, false);
      if (otherEncoding(b)) {
        assertEquals("refused", s, () -> new String(b, StandardCharsets.ISO_8859_1));
        continue;
      }
      if (j instanceof Map && s.equals("refused") && jacksonsPadding(b)) {
        continue;
      }
      if (s == FLAT) {
        assertTrue(j.equals("refused") || ((Map<?, ?>) j).keySet().stream()
            .anyMatch(k -> ((String) k).length() > JsonScanner.MAX_FLAT), "a long name Jackson read");
        continue;
      }
      assertEquals(j, s, () -> "line: " + new String(b, StandardCharsets.ISO_8859_1));
      read += s instanceof Map ? 1 : 0;
    }
    return read;
  }

  @Test
  void everyLineOfTheTestLogs_readAsJacksonReadsIt() throws IOException {
    List<byte[]> lines = corpus();
    assertTrue(lines.size() > 5000, "lines: " + lines.size());
    int read = 0;
    for (byte[] b : lines) {
      read += same(b);
    }
    assertTrue(read > 2 * 5000, "read: " + read);
  }

  private static final byte[] INTERESTING = "\"\\{}[],:0-.eE+ untfl9/\t\r".getBytes(StandardCharsets.US_ASCII);

  @Test
  void mutatedLines_refusedOrReadAsJacksonDoes() throws IOException {
    List<byte[]> lines = corpus();
    Random r = new Random(Long.getLong("bottrace.fuzz.seed", 20261204));
    int read = 0;
    int refused = 0;
    for (int i = Integer.getInteger("bottrace.fuzz.lines", 150_000); i > 0; i--) {
      byte[] b = lines.get(r.nextInt(lines.size()));
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        b = mutate(b, r);
      }
      int ok = same(b);
      read += ok;
      refused += ok == 0 ? 1 : 0;
    }
    // both outcomes are common, so both ways were compared
    assertTrue(read > 30_000, "read: " + read);
    assertTrue(refused > 80_000, "refused: " + refused);
  }

  private static byte[] mutate(byte[] b, Random r) {
    if (b.length == 0) {
      return new byte[] {'{'};
    }
    int at = r.nextInt(b.length);
    byte v = switch (r.nextInt(4)) {
      case 0 -> INTERESTING[r.nextInt(INTERESTING.length)];
      case 1 -> (byte) (0x80 + r.nextInt(128)); // a byte past ASCII: lead, continuation or never valid
      case 2 -> (byte) r.nextInt(0x20); // a control character
      default -> (byte) r.nextInt(256);
    };
    switch (r.nextInt(5)) {
      case 0: {
        byte[] c = b.clone();
        c[at] = v;
        return c;
      }
      case 1: {
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, at);
        c[at] = v;
        System.arraycopy(b, at, c, at + 1, b.length - at);
        return c;
      }
      case 2: {
        byte[] c = new byte[b.length - 1];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + 1, c, at, b.length - at - 1);
        return c;
      }
      case 3:
        return java.util.Arrays.copyOf(b, at); // cut short
      default: { // a run of the line again at another place
        int from = r.nextInt(b.length);
        int n = Math.min(b.length - from, 1 + r.nextInt(40));
        byte[] c = new byte[b.length + n];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, from, c, at, n);
        System.arraycopy(b, at, c, at + n, b.length - at);
        return c;
      }
    }
  }

  private static byte[] line(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void numbers_asJacksonReadsThem() {
    List<String> texts = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "1.5", "1e5", "1E+05", "-1.0e-3", "0.000001",
        "123456789012345678", "1234567890123456789", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1796158443.123456",
        "1796158443.1234567", "0.1", "0.30000000000000004", "1e400", "-1e400", "1e-400", "4.9e-324",
        "2.2250738585072014E-308", "1.7976931348623157e308", "1e22", "1e23", "123456789012345.6e7", "5e-22",
        "9007199254740993", "9007199254740993.0", "1.00000000000000000000000001", "00", "01", "-", "-a", "1.", ".5",
        "1e", "1e+", "+1", "1.5.3", "0x10", "1_000", "NaN", "Infinity", "-Infinity"));
    Random r = new Random(7);
    for (int i = 0; i < 50_000; i++) {
      StringBuilder t = new StringBuilder(r.nextBoolean() ? "-" : "");
      t.append(1 + r.nextInt(9));
      for (int d = r.nextInt(19); d > 0; d--) {
        t.append(r.nextInt(10));
      }
      if (r.nextInt(3) > 0) {
        t.append('.');
        for (int d = 1 + r.nextInt(19); d > 0; d--) {
          t.append(r.nextInt(10));
        }
      }
      if (r.nextInt(4) == 0) {
        t.append(r.nextBoolean() ? 'e' : 'E').append(r.nextBoolean() ? "-" : "").append(r.nextInt(340));
      }
      texts.add(t.toString());
      texts.add(Double.toString(Double.longBitsToDouble(r.nextLong())).replace("Infinity", "1e999"));
    }
    int read = 0;
    for (String t : texts) {
      read += same(line("{\"n\":" + t + ",\"a\":[" + t + "]}")) > 0 ? 1 : 0;
    }
    assertTrue(read > 100_000, "read: " + read);
  }

  @Test
  void nesting_upTo64Levels() {
    for (int depth : new int[] {63, 64, 65, 66}) {
      String objects = "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
      String arrays = "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
      assertEquals(depth <= 64 ? 2 : 0, same(line(objects)), objects);
      assertEquals(depth <= 64 ? 2 : 0, same(line(arrays)), arrays);
    }
  }

  @Test
  void stringsAndNames_asJacksonDecodesThem() {
    String[] lines = {"{\"a\":\"caf\u00e9 \u20ac \ud83d\ude00\"}", "{\"\u00e9t\u00e9\":1}", "{\"a\":\"\\u00e9\\ud83d\\ude00\\ud800\"}",
        "{\"a\\u0041\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}",
        "{\"\":1,\"a\":{\"\":2}}", "{\"a\":1,\"a\":null}", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1},\"a.b\":2}",
        "{\"a\":[1,null,true,\"x\",{\"b\":{\"c\":1},\"stats\":5},[2]]}", "{\"stats\":{\"x\":1},\"http\":{\"http_request_body\":\"x\"}}",
        "{\"a\":1,}", "{\"a\":[1,]}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":true}x", "{\"a\":1} ", "\ufeff{\"a\":1}",
        "{\"a\":1}{", "[1]", "", "   ", "{", "{\"a\"", "{\"a\":", "{\"a\":\"", "{'a':1}", "{\"a\":1 /* c */}"};
    for (String l : lines) {
      same(line(l));
    }
    // bytes that are no UTF-8: an unexpected continuation byte, a lead byte without its continuation, 0xff
    for (byte[] b : new byte[][] {{'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'},
        {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}, {'{', '"', (byte) 0xC3, '"', ':', '1', '}'},
        {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}, {'{', '"', 'a', '"', ':', '"', (byte) 0xF0, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, '"', '}'}, {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'}}) {
      same(b);
    }
  }

  /** 4,096 names with one hash ("Aa" and "BB" hash alike): all read, past the table's bound and its probe limit. */
  @Test
  void namesMadeToCollide_areAllRead() {
    StringBuilder l = new StringBuilder("{");
    for (int i = 0; i < 4096; i++) {
      l.append(i == 0 ? "\"" : ",\"");
      for (int bit = 11; bit >= 0; bit--) {
        l.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      l.append("\":").append(i);
    }
    byte[] b = line(l.append('}').toString());
    for (int pass = 0; pass < 2; pass++) { // the second pass meets the names the first one kept
      assertEquals(2, same(b));
      Map<String, Object> m = new HashMap<>();
      assertEquals(4096, parsed(b, m).size());
      assertEquals(4095L, m.get("BBBBBBBBBBBBBBBBBBBBBBBB"));
    }
  }

  private static Map<String, Object> parsed(byte[] b, Map<String, Object> m) {
    try {
      JsonScanner.get().parse(b, 0, b.length, null, m);
    } catch (MalformedException e) {
      throw new AssertionError(e.getMessage());
    }
    return m;
  }

  private static byte[] bytes(Object... parts) {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    for (Object x : parts) {
      byte[] b = x instanceof String ? ((String) x).getBytes(StandardCharsets.UTF_8) : (byte[]) x;
      o.write(b, 0, b.length);
    }
    return o.toByteArray();
  }

  /** Jackson 2.22's surrogate checks, its name and number limits (a review found them missing). */
  @Test
  void surrogatesAndLimits_asJackson() {
    byte[] sur = {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // U+D800 written as UTF-8
    byte[] overlong = {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80};
    assertEquals(1, same(bytes("{\"a\":\"", sur, "\"}")), "in a value read (and dropped by the EVE filter)");
    assertEquals(2, same(bytes("{\"stats\":{\"x\":\"", sur, "\"}}")), "in a value skipped unread");
    assertEquals(0, same(bytes("{\"event_type\":\"dns\",\"dns\":{\"rrname\":\"", sur, "\"}}")), "in a kept EVE field");
    assertEquals(1, same(bytes("{\"event_type\":\"dns\",\"other\":\"", sur, "\"}")), "in a field the filter drops");
    assertEquals(0, same(bytes("{\"", sur, "\":1}")), "in a name");
    assertEquals(0, same(bytes("{\"stats\":{\"", sur, "\":1}}")), "in a name of a skipped object");
    for (String half : new String[] {"\\ud800", "\\udc00", "\\ud800\\u0041", "\\ud800x", "\\ud800\\ud800"}) {
      assertEquals(0, same(line("{\"" + half + "\":1}")), half);
    }
    assertEquals(2, same(line("{\"\\ud83d\\ude00\":1,\"v\":\"\\ud800\"}")), "a pair in a name, half of one in a value");
    assertEquals(2, same(bytes("{\"", overlong, "\":1,\"v\":\"", overlong, "\"}")), "an overlong form, name and value");
    assertEquals(2, same(line("{\"a\":-" + "1".repeat(1000) + ",\"b\":0." + "1".repeat(999) + "}")), "1,000 digits");
    assertEquals(0, same(line("{\"a\":" + "1".repeat(1001) + "}")), "1,001 digits");
    assertEquals(0, same(line("{\"a\":1.5e" + "1".repeat(999) + "}")), "digits of an exponent count");
    assertEquals(2, same(line("{\"stats\":{\"" + "a".repeat(50_000) + "\":1}}")), "a name of 50,000 bytes");
    assertEquals(0, same(line("{\"stats\":{\"" + "a".repeat(50_001) + "\":1}}")), "a name of 50,001 bytes");
    assertEquals(0, same(line("{\"stats\":{\"" + "\u00e9".repeat(25_001) + "\":1}}")), "50,002 bytes of UTF-8");
    // a flattened name past MAX_FLAT is refused, where Jackson built it (read only past the EVE filter,
    // which drops the object unread); at it, read
    assertEquals(1, same(line("{\"" + "a".repeat(600) + "\":{\"" + "b".repeat(401) + "\":1}}")));
    assertEquals(2, same(line("{\"" + "a".repeat(600) + "\":{\"" + "b".repeat(399) + "\":1}}")));
    assertEquals("a field name, with the names of the objects it is in, of more than 1000 characters at byte 1",
        message("{\"" + "a".repeat(1001) + "\":1}"));
  }

  @Test
  void theMessages_sayWhatIsWrongAndWhere() {
    assertEquals("not valid JSON: unrecognized token 'tru' at byte 5", message("{\"a\":tru}"));
    assertEquals("not valid JSON: '}' at byte 7 where a field name in double quotes should be", message("{\"a\":1,}"));
    assertEquals("not valid JSON: the line ends in a string", message("{\"ts\":1796158443.1,\"uid\":\"Cx"));
    assertEquals("not valid JSON: a number with a leading zero at byte 5", message("{\"a\":01}"));
    assertEquals("not valid JSON: control character 0x9 not escaped in a string at byte 9", message("{\"a\":\"tab\there\"}"));
    assertEquals("not valid JSON: unrecognized escape \\x at byte 6", message("{\"a\":\"\\x41\"}"));
    assertEquals("text after the JSON object", message("{\"a\":1} x"));
    assertEquals("not a JSON object", message("[1]"));
  }

  private static String message(String l) {
    byte[] b = line(l);
    return assertThrows(MalformedException.class, () -> JsonScanner.get().parse(b, 0, b.length, null, new HashMap<>()))
        .getMessage();
  }
}
