package org.bottrace.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bottrace.event.Addresses;
import org.bottrace.event.EveAlert;
import org.bottrace.event.EveAnomaly;
import org.bottrace.event.EveDns;
import org.bottrace.event.EveFileinfo;
import org.bottrace.event.EveFlow;
import org.bottrace.event.EveFtp;
import org.bottrace.event.EveHttp;
import org.bottrace.event.EveTftp;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;

/** Suricata EVE events (one JSON object per line, told apart by event_type) to typed events. */
final class EveKinds {
  private EveKinds() {}

  /**
   * Every EVE field this class reads; the JSON reader keeps only these for EVE lines. A field used
   * below must be listed here (EveFilterTest parses every EVE sample with and without the filter).
   */
  static final JsonLine.Filter FIELDS = new JsonLine.Filter(java.util.Set.of(
      "timestamp", "flow_id", "event_type", "src_ip", "src_port", "dest_ip", "dest_port", "proto", "icmp_type",
      "icmp_code", "community_id", "app_proto", "direction",
      "flow.start", "flow.end", "flow.pkts_toserver", "flow.pkts_toclient", "flow.bytes_toserver",
      "flow.bytes_toclient", "flow.state", "flow.reason", "flow.alerted", "tcp.tcp_flags", "tcp.state",
      "alert.action", "alert.gid", "alert.signature_id", "alert.rev", "alert.signature", "alert.category",
      "alert.severity", "alert.metadata.bottrace_evidence",
      "dns.type", "dns.version", "dns.id", "dns.rrname", "dns.rrtype", "dns.rcode", "dns.rdata", "dns.ttl",
      "dns.queries", "dns.answers", "dns.grouped.",
      "http.hostname", "http.url", "http.http_user_agent", "http.http_content_type", "http.http_method",
      "http.status", "http.length",
      "tftp.packet", "tftp.file", "tftp.mode",
      "fileinfo.filename", "fileinfo.magic", "fileinfo.size", "fileinfo.state", "fileinfo.sha256",
      "anomaly.type", "anomaly.event", "anomaly.layer", "anomaly.app_proto",
      "ftp.command", "ftp.command_data", "ftp.reply",
      "tls.sni", "tls.version", "tls.subject", "tls.issuerdn"));

  /** The event of an EVE record, or null for event types bottrace does not use (stats, smtp, ...). */
  static Event map(String eventType, JsonRow r) throws MalformedException {
    switch (eventType) {
      case "flow": return flow(r);
      case "alert": return alert(r);
      case "dns": return dns(r);
      case "http": return http(r);
      case "tftp": return tftp(r);
      case "fileinfo": return fileinfo(r);
      case "anomaly": return anomaly(r);
      case "ftp": return ftp(r);
      case "tls": return tls(r);
      default: return null;
    }
  }

  private static long ts(JsonRow r) throws MalformedException {
    return r.requiredMicros("timestamp");
  }

  private static long flowId(JsonRow r) throws MalformedException {
    return r.count("flow_id");
  }

  static FlowKey flowKey(JsonRow r, boolean required) throws MalformedException {
    String src = r.str("src_ip");
    String dst = r.str("dest_ip");
    if (src == null || dst == null) {
      if (required) {
        throw new MalformedException("field " + (src == null ? "src_ip" : "dest_ip") + " is missing");
      }
      return null;
    }
    String proto = r.str("proto");
    proto = proto == null ? "" : proto.toLowerCase(Locale.ROOT);
    if (proto.equals("ipv6-icmp")) {
      proto = "icmp6";
    }
    int sp;
    int dp;
    if (proto.startsWith("icmp")) {
      sp = (int) Math.max(0, Math.min(65535, r.count("icmp_type")));
      dp = (int) Math.max(0, Math.min(65535, r.count("icmp_code")));
    } else {
      sp = r.count("src_port") < 0 ? 0 : r.port("src_port");
      dp = r.count("dest_port") < 0 ? 0 : r.port("dest_port");
    }
    return new FlowKey(addr(src, "src_ip"), sp, addr(dst, "dest_ip"), dp, proto);
  }

  private static String addr(String a, String name) throws MalformedException {
    if (Addresses.parse(a) == null) {
      throw new MalformedException("field " + name + " is not an address: " + a);
    }
    return Addresses.canonical(a);
  }

  static EveFlow flow(JsonRow r) throws MalformedException {
    long stamp = ts(r);
    long start = r.micros("flow.start");
    long end = r.micros("flow.end");
    start = start == Micros.UNSET ? stamp : start;
    end = end == Micros.UNSET ? start : end;
    return new EveFlow(start, end, flowId(r), flowKey(r, true), r.str("community_id"), r.str("app_proto"),
        r.count("flow.pkts_toserver"), r.count("flow.pkts_toclient"), r.count("flow.bytes_toserver"),
        r.count("flow.bytes_toclient"), r.str("flow.state"), r.str("flow.reason"), r.bool("flow.alerted"),
        r.str("tcp.tcp_flags"), r.str("tcp.state"));
  }

  /**
   * An alert; null (read and counted, handed to no detector) for one of bottrace's feedback rules: its own
   * verdict come back through Suricata is no sighting and no evidence.
   */
  static EveAlert alert(JsonRow r) throws MalformedException {
    long sid = r.count("alert.signature_id");
    if (sid < 0) {
      throw new MalformedException("field alert.signature_id is missing");
    }
    java.util.Set<EveAlert.RuleEvidence> ev = EveAlert.RuleEvidence.of(r.list("alert.metadata.bottrace_evidence"));
    if (ev.contains(EveAlert.RuleEvidence.FEEDBACK)) {
      return null;
    }
    return new EveAlert(ts(r), flowId(r), flowKey(r, true), r.str("community_id"), r.str("app_proto"),
        r.str("alert.action"), r.count("alert.gid"), sid, r.count("alert.rev"), r.str("alert.signature"),
        r.str("alert.category"), r.count("alert.severity"), r.str("direction"), ev);
  }

  static EveDns dns(JsonRow r) throws MalformedException {
    String type = r.str("dns.type");
    if (type == null) {
      throw new MalformedException("field dns.type is missing");
    }
    boolean query;
    switch (type) {
      case "query": case "request": query = true; break;
      case "answer": case "response": query = false; break;
      default: throw new MalformedException("field dns.type is not query, answer, request or response: " + type);
    }
    long v = r.count("dns.version");
    int version = v < 0 ? 1 : (int) Math.min(v, 99);
    String rrname = r.str("dns.rrname");
    String rrtype = r.str("dns.rrtype");
    List<Map<String, Object>> queries = r.objects("dns.queries");
    if (rrname == null && !queries.isEmpty()) {
      JsonRow q = new JsonRow(queries.get(0));
      rrname = q.str("rrname");
      rrtype = q.str("rrtype");
    }
    List<EveDns.Answer> answers = new ArrayList<>();
    if (!query) {
      for (Map<String, Object> a : r.objects("dns.answers")) {
        JsonRow ar = new JsonRow(a);
        answers.add(new EveDns.Answer(ar.str("rrname"), ar.str("rrtype"), ar.count("ttl"), rdata(ar)));
      }
      if (answers.isEmpty() && r.str("dns.rdata") != null) {
        // version 1: one event per answer record
        answers.add(new EveDns.Answer(rrname, rrtype, r.count("dns.ttl"), r.str("dns.rdata")));
      }
      if (answers.isEmpty()) {
        for (Map.Entry<String, Object> e : r.map().entrySet()) {
          if (e.getKey().startsWith("dns.grouped.") && e.getValue() instanceof List) {
            String t = e.getKey().substring("dns.grouped.".length());
            for (Object o : (List<?>) e.getValue()) {
              answers.add(new EveDns.Answer(rrname, t, -1, String.valueOf(o)));
            }
          }
        }
        answers.sort(java.util.Comparator.comparing(EveDns.Answer::rrtype).thenComparing(EveDns.Answer::rdata));
      }
    }
    FlowKey flow = flowKey(r, true);
    if (!query && version >= 3) {
      flow = flow.reversed(); // Suricata 8 logs a response from the resolver to the client
    }
    return new EveDns(ts(r), flowId(r), flow, r.str("community_id"), version, query, r.count("dns.id"), rrname,
        rrtype, query ? null : r.str("dns.rcode"), List.copyOf(answers));
  }

  private static String rdata(JsonRow a) throws MalformedException {
    String d = a.str("rdata");
    if (d != null) {
      return d;
    }
    // SOA and other structured answers: keep their main name
    String mname = a.str("soa.mname");
    return mname != null ? mname : "";
  }

  static EveHttp http(JsonRow r) throws MalformedException {
    return new EveHttp(ts(r), flowId(r), flowKey(r, true), r.str("community_id"), r.str("http.hostname"),
        r.str("http.url"), r.str("http.http_user_agent"), r.str("http.http_content_type"),
        r.str("http.http_method"), r.count("http.status"), r.count("http.length"));
  }

  static org.bottrace.event.TlsEvent tls(JsonRow r) throws MalformedException {
    long id = flowId(r);
    return new org.bottrace.event.TlsEvent(ts(r), id < 0 ? null : Long.toString(id), flowKey(r, true),
        r.str("community_id"), r.str("tls.version"), r.str("tls.sni"), r.str("tls.subject"), r.str("tls.issuerdn"),
        null, null, "eve.tls");
  }

  static EveTftp tftp(JsonRow r) throws MalformedException {
    return new EveTftp(ts(r), flowId(r), flowKey(r, true), r.str("community_id"), r.str("tftp.packet"),
        r.str("tftp.file"), r.str("tftp.mode"));
  }

  static EveFileinfo fileinfo(JsonRow r) throws MalformedException {
    return new EveFileinfo(ts(r), flowId(r), flowKey(r, true), r.str("community_id"), r.str("app_proto"),
        r.str("fileinfo.filename"), r.str("fileinfo.magic"), r.count("fileinfo.size"), r.str("fileinfo.state"),
        r.str("fileinfo.sha256"), r.str("http.hostname"), r.str("http.http_content_type"));
  }

  static EveAnomaly anomaly(JsonRow r) throws MalformedException {
    String app = r.str("anomaly.app_proto");
    return new EveAnomaly(ts(r), flowId(r), flowKey(r, false), r.str("community_id"), r.str("anomaly.type"),
        r.str("anomaly.event"), r.str("anomaly.layer"), app != null ? app : r.str("app_proto"));
  }

  static EveFtp ftp(JsonRow r) throws MalformedException {
    return new EveFtp(ts(r), flowId(r), flowKey(r, true), r.str("community_id"), r.str("ftp.command"),
        r.str("ftp.command_data"), r.list("ftp.reply"));
  }
}
