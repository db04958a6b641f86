package org.bottrace.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Map;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;

/**
 * Notices as JSON lines, fields in a fixed order led by {@code ts} and the pivot keys, as Zeek's
 * notice.log. Control and non-ASCII characters are escaped, so each notice is exactly one line of
 * ASCII whatever the logs contained.
 */
public final class JsonNoticeSink extends LineSink {
  static final JsonFactory FACTORY = new com.fasterxml.jackson.core.JsonFactoryBuilder()
      .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
      .characterEscapes(new DelEscaped())
      .build();

  /** Jackson's escapes, and DEL (0x7f) too: ASCII, but a terminal control character. */
  private static final class DelEscaped extends com.fasterxml.jackson.core.io.CharacterEscapes {
    private final int[] ascii;

    DelEscaped() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }


  public JsonNoticeSink(OutputStream out) {
    super(out);
  }

  @Override
  String line(Notice n) {
    return toJson(n);
  }

  /** One notice as one JSON line (without the newline). */
  public static String toJson(Notice n) {
    StringWriter sw = new StringWriter(512);
    try (JsonGenerator g = FACTORY.createGenerator(sw)) {
      g.setRootValueSeparator(new SerializedString(""));
      Finding f = n.finding();
      g.writeStartObject();
      g.writeFieldName("ts");
      g.writeNumber(Micros.formatEpoch(f.ts()));
      g.writeStringField("@timestamp", Micros.formatIso(f.ts()));
      g.writeStringField("id", n.id());
      g.writeStringField("subject", n.subject());
      g.writeStringField("note", f.note());
      g.writeStringField("severity", f.severity().label());
      g.writeFieldName("confidence");
      value(g, f.confidence());
      str(g, "stage", f.stage() == null ? null : f.stage().label());
      str(g, "actor", f.acting() == null ? null : f.acting().label());
      g.writeStringField("msg", Text.bound(f.msg()));
      str(g, "sub", f.sub());
      str(g, "uid", f.uid());
      FlowKey c = f.conn();
      if (c != null) {
        // Zeek's conn_id as an object: "id" is the notice's, and a field cannot be a value and a prefix
        g.writeObjectFieldStart("conn");
        g.writeStringField("orig_h", c.origH());
        g.writeNumberField("orig_p", c.origP());
        g.writeStringField("resp_h", c.respH());
        g.writeNumberField("resp_p", c.respP());
        str(g, "proto", c.proto().isEmpty() ? null : c.proto());
        g.writeEndObject();
      }
      str(g, "src", f.src());
      str(g, "dst", f.dst());
      if (f.p() >= 0) {
        g.writeNumberField("p", f.p());
      }
      g.writeArrayFieldStart("uids");
      for (String u : f.uids()) {
        g.writeString(Text.bound(u));
      }
      g.writeEndArray();
      if (!f.names().isEmpty()) {
        g.writeArrayFieldStart("names");
        for (String x : f.names()) {
          g.writeString(Text.bound(x));
        }
        g.writeEndArray();
      }
      str(g, "url", f.url());
      g.writeStringField("detector", n.detector());
      g.writeFieldName("evidence");
      value(g, f.evidence());
      g.writeFieldName("enrichment");
      value(g, n.enrichment());
      g.writeNumberField("suppressed", n.suppressed());
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string failed", e);
    }
    return sw.toString();
  }

  private static final com.fasterxml.jackson.databind.ObjectReader READER = new com.fasterxml.jackson.databind.ObjectMapper()
      .readerFor(com.fasterxml.jackson.databind.JsonNode.class);

  /**
   * What a JSON notice line ({@link #toJson}) says of its finding, read back (by a consumer of the notices
   * topic): its note, time, message, sub, src, dst, port, uids, names, URL, stage, actor, severity, confidence and
   * the servers its enrichment names with their roles; its subject id as the key. Evidence and enrichment
   * figures are not read back.
   *
   * @throws IllegalArgumentException saying why when the line is no JSON notice of this form
   */
  public static Finding read(byte[] line) {
    com.fasterxml.jackson.databind.JsonNode n;
    try {
      n = READER.readTree(line);
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      throw new IllegalArgumentException("not JSON: " + (nl < 0 ? m : m.substring(0, nl)));
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (!n.path("note").isTextual() && n.path("rule").path("name").isTextual()) {
      throw new IllegalArgumentException("an ECS notice (notices.format ecs): only json notices can be read back");
    }
    String note = text(n, "note", true);
    String subject = text(n, "subject", true);
    long ts;
    try {
      ts = Micros.parseIso(text(n, "@timestamp", true));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("@timestamp is no ISO 8601 time");
    }
    Finding.Severity sev = Finding.Severity.of(text(n, "severity", true));
    if (sev == null) {
      throw new IllegalArgumentException("severity is none of informational, low, medium, high, critical");
    }
    if (!n.path("confidence").isNumber()) {
      throw new IllegalArgumentException("no number confidence");
    }
    Finding.Builder b = Finding.builder(note, ts).msg(text(n, "msg", true)).key(subject)
        .rated(sev, n.path("confidence").asDouble()).sub(text(n, "sub", false)).src(text(n, "src", false))
        .dst(text(n, "dst", false)).url(text(n, "url", false)).ownIdsOnly();
    if (n.path("p").canConvertToInt()) {
      b.port(n.path("p").asInt());
    }
    String stage = text(n, "stage", false);
    for (Finding.Stage st : Finding.Stage.values()) {
      if (st.label().equals(stage)) {
        b.stage(st);
      }
    }
    String actor = text(n, "actor", false);
    for (Finding.Actor a : Finding.Actor.values()) {
      if (a.label().equals(actor)) {
        b.actor(a);
      }
    }
    for (com.fasterxml.jackson.databind.JsonNode u : n.path("uids")) {
      b.uid(u.asText());
    }
    for (com.fasterxml.jackson.databind.JsonNode x : n.path("names")) {
      b.name(x.asText());
    }
    for (com.fasterxml.jackson.databind.JsonNode srv : n.path("enrichment").path("servers")) {
      String role = srv.path("role").asText();
      for (Finding.Role r : Finding.Role.values()) {
        if (r.label().equals(role) && srv.path("ip").isTextual()) {
          b.server(srv.path("ip").asText(), r);
        }
      }
    }
    return b.build();
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode n, String field, boolean required) {
    com.fasterxml.jackson.databind.JsonNode v = n.get(field);
    if (v != null && v.isTextual()) {
      return v.asText();
    }
    if (required) {
      throw new IllegalArgumentException("no " + field);
    }
    return null;
  }

  /** A JSON rendering of an evidence value (used by the Zeek sink for its evidence column). */
  static String json(Object v) {
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(sw)) {
      value(g, v);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string failed", e);
    }
    return sw.toString();
  }

  static void str(JsonGenerator g, String name, String v) throws IOException {
    if (v != null) {
      g.writeStringField(name, Text.bound(v));
    }
  }

  static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String) {
      g.writeString(Text.bound((String) v));
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        // always with a fraction: a field that is 8 in one notice and 10.8 in the next would be mapped
        // as an integer by the first
        java.math.BigDecimal b = new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros();
        g.writeNumber(b.scale() <= 0 ? b.setScale(1).toPlainString() : b.toPlainString());
      } else {
        g.writeNull();
      }
    } else if (v instanceof Boolean) {
      g.writeBoolean((Boolean) v);
    } else if (v instanceof Map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        g.writeFieldName(Text.bound(String.valueOf(e.getKey())));
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Collection) {
      g.writeStartArray();
      for (Object o : (Collection<?>) v) {
        value(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(Text.bound(v.toString()));
    }
  }


}
