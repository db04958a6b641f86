package org.bottrace.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bottrace.event.Addresses;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;

/**
 * Notices as Elastic Common Schema 8.x documents, one JSON line each, for an index that maps ECS (an
 * Elastic Security or OpenSearch index template, Filebeat's filestream with the ndjson parser, no ingest
 * pipeline): {@code event.*}, {@code rule.*}, {@code source.*}, {@code destination.*}, {@code network.*},
 * {@code related.ip}, {@code threat.indicator.*} for the first server the notice names, {@code observer.*},
 * and {@code bottrace.*} for the rest (subject, evidence, every server's enrichment). The field names and
 * types are those of ECS 8.17's generated field definitions (EcsNoticeSinkTest checks them).
 */
public final class EcsNoticeSink extends LineSink {
  /** The ECS version the documents follow. */
  public static final String ECS_VERSION = "8.17.0";


  public EcsNoticeSink(OutputStream out) {
    super(out);
  }

  @Override
  String line(Notice n) {
    return toJson(n);
  }

  /** ECS's event.severity for a severity: 1 (informational) to 5 (critical). */
  static int severity(Finding.Severity s) {
    return s.ordinal() + 1;
  }

  /**
   * event.risk_score, 0 to 100, in Elastic's bands by severity (low 1-21, medium 22-47, high 48-73,
   * critical 74-100; informational 0), placed in its band by the confidence.
   */
  static double riskScore(Finding.Severity s, double confidence) {
    double[] lo = {0, 1, 22, 48, 74};
    double[] hi = {0, 21, 47, 73, 100};
    int i = s.ordinal();
    return Math.round((lo[i] + (hi[i] - lo[i]) * confidence) * 10) / 10.0;
  }

  /** One notice as one ECS JSON line (without the newline). */
  @SuppressWarnings("unchecked")
  public static String toJson(Notice n) {
    StringWriter sw = new StringWriter(1024);
    Finding f = n.finding();
    try (JsonGenerator g = JsonNoticeSink.FACTORY.createGenerator(sw)) {
      g.setRootValueSeparator(new SerializedString(""));
      g.writeStartObject();
      g.writeStringField("@timestamp", Micros.formatIso(f.ts()));
      g.writeStringField("message", Text.bound(f.msg()));
      g.writeObjectFieldStart("ecs");
      g.writeStringField("version", ECS_VERSION);
      g.writeEndObject();
      g.writeObjectFieldStart("event");
      g.writeStringField("kind", f.severity() == Finding.Severity.INFORMATIONAL ? "event" : "alert");
      g.writeArrayFieldStart("category");
      g.writeString("intrusion_detection");
      if (f.conn() != null) {
        g.writeString("network");
      }
      g.writeEndArray();
      g.writeArrayFieldStart("type");
      g.writeString("info");
      g.writeEndArray();
      g.writeNumberField("severity", severity(f.severity()));
      g.writeNumberField("risk_score", riskScore(f.severity(), f.confidence()));
      g.writeStringField("id", n.id());
      g.writeStringField("module", "bottrace");
      g.writeStringField("dataset", "bottrace.notice");
      g.writeEndObject();
      g.writeObjectFieldStart("rule");
      g.writeStringField("name", f.note());
      g.writeStringField("ruleset", "bottrace");
      if (f.stage() != null) {
        g.writeStringField("category", f.stage().label());
      }
      g.writeEndObject();
      FlowKey c = f.conn();
      endpoint(g, "source", c != null ? c.origH() : f.src(), c != null ? c.origP() : -1);
      endpoint(g, "destination", c != null ? c.respH() : f.dst(), c != null ? c.respP() : f.p());
      if (c != null) {
        g.writeObjectFieldStart("network");
        JsonNoticeSink.str(g, "transport", c.proto().isEmpty() ? null : c.proto());
        JsonNoticeSink.str(g, "community_id", c.communityId());
        g.writeEndObject();
      }
      Set<String> related = new LinkedHashSet<>();
      for (String ip : new String[] {f.src(), f.dst(), c == null ? null : c.origH(), c == null ? null : c.respH()}) {
        if (ip != null && Addresses.isAddress(ip)) {
          related.add(Addresses.canonical(ip));
        }
      }
      List<Map<String, Object>> servers = n.enrichment().get("servers") instanceof List<?> l
          ? (List<Map<String, Object>>) l : List.of();
      for (Map<String, Object> s : servers) {
        related.add(String.valueOf(s.get("ip")));
      }
      g.writeObjectFieldStart("related");
      g.writeArrayFieldStart("ip");
      for (String ip : related) {
        g.writeString(ip);
      }
      g.writeEndArray();
      g.writeEndObject();
      if (!servers.isEmpty()) {
        indicator(g, servers.get(0), f);
      }
      g.writeObjectFieldStart("observer");
      g.writeStringField("product", "bottrace");
      g.writeStringField("vendor", "bottrace");
      g.writeStringField("type", "ids");
      g.writeEndObject();
      g.writeObjectFieldStart("bottrace");
      g.writeStringField("subject", n.subject());
      g.writeStringField("severity", f.severity().label());
      g.writeFieldName("confidence");
      JsonNoticeSink.value(g, f.confidence());
      JsonNoticeSink.str(g, "actor", f.acting() == null ? null : f.acting().label());
      JsonNoticeSink.str(g, "sub", f.sub());
      JsonNoticeSink.str(g, "uid", f.uid());
      g.writeFieldName("uids");
      JsonNoticeSink.value(g, f.uids());
      g.writeStringField("detector", n.detector());
      g.writeFieldName("evidence");
      JsonNoticeSink.value(g, f.evidence());
      g.writeFieldName("enrichment");
      JsonNoticeSink.value(g, n.enrichment());
      g.writeNumberField("suppressed", n.suppressed());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string failed", e);
    }
    return sw.toString();
  }

  private static void endpoint(JsonGenerator g, String name, String ip, int port) throws IOException {
    if (ip == null || !Addresses.isAddress(ip)) {
      return;
    }
    g.writeObjectFieldStart(name);
    g.writeStringField("ip", Addresses.canonical(ip));
    if (port >= 0) {
      g.writeNumberField("port", port);
    }
    g.writeEndObject();
  }

  /** threat.indicator: the first server the notice names, as the traceback enrichment saw it. */
  @SuppressWarnings("unchecked")
  private static void indicator(JsonGenerator g, Map<String, Object> s, Finding f) throws IOException {
    String ip = String.valueOf(s.get("ip"));
    g.writeObjectFieldStart("threat");
    g.writeObjectFieldStart("indicator");
    g.writeStringField("ip", ip);
    g.writeStringField("type", ip.indexOf(':') >= 0 ? "ipv6-addr" : "ipv4-addr");
    if (ip.equals(f.dst()) && f.p() >= 0) {
      g.writeNumberField("port", f.p());
    }
    g.writeStringField("description", String.format(Locale.ROOT, "%s server; administrator class %s",
        s.get("role"), s.getOrDefault("class", "unknown")));
    g.writeStringField("confidence", f.confidence() >= 0.85 ? "High" : f.confidence() >= 0.6 ? "Medium" : "Low");
    g.writeStringField("provider", "bottrace");
    if (s.get("asn") instanceof Map<?, ?> as) {
      g.writeObjectFieldStart("as");
      if (as.get("number") instanceof Number x) {
        g.writeNumberField("number", x.longValue());
      }
      if (as.get("organization") != null) {
        g.writeObjectFieldStart("organization");
        g.writeStringField("name", Text.bound(String.valueOf(as.get("organization"))));
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    if (s.get("country") != null) {
      g.writeObjectFieldStart("geo");
      g.writeStringField("country_iso_code", String.valueOf(s.get("country")));
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
  }


}
