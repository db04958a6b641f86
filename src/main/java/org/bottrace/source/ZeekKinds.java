package org.bottrace.source;

import java.util.List;
import java.util.Locale;
import org.bottrace.event.Addresses;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.DnsEvent;
import org.bottrace.event.Event;
import org.bottrace.event.FileEvent;
import org.bottrace.event.FlowKey;
import org.bottrace.event.HttpEvent;
import org.bottrace.event.IrcCmdEvent;
import org.bottrace.event.IrcEvent;
import org.bottrace.event.IrcPktEvent;
import org.bottrace.event.Micros;
import org.bottrace.event.PeEvent;

/**
 * The Zeek logs bottrace reads and how a row of each becomes an event; the same code serves TSV and
 * JSON, which is why both forms of a log give equal records. Fields are taken by name, so extra
 * columns are ignored and optional ones may be missing.
 */
public final class ZeekKinds {
  /** Log paths that produce events. Other Zeek logs are read and counted but produce none. */
  static final List<String> READ = List.of("conn", "conn_long", "open_conn", "irc_open", "irc", "irc_cmd", "irc_pkt",
      "dns", "http", "files", "pe", "ssl");

  private ZeekKinds() {}

  /** Whether {@code name} is the path of a Zeek log (one bottrace reads or only counts). */
  public static boolean isLogName(String name) {
    return KNOWN.contains(name);
  }

  /** The Zeek logs that produce events, by their path. */
  public static List<String> names() {
    return READ;
  }

  /** The event of a row of the given log, or null for a log bottrace does not use. */
  static Event map(String path, Row r) throws MalformedException {
    switch (path) {
      case "conn": return conn(r);
      case "conn_long":
      case "open_conn":
      case "irc_open": return new org.bottrace.event.OpenConnEvent(conn(r), path);
      case "irc": return irc(r);
      case "irc_cmd": return ircCmd(r);
      case "irc_pkt": return ircPkt(r);
      case "dns": return dns(r);
      case "http": return http(r);
      case "files": return files(r);
      case "pe": return pe(r);
      case "ssl": return ssl(r);
      default: return null;
    }
  }

  /**
   * The log a file holds, judged by its name when it has no #path/_path: "conn.log",
   * "conn.12:00:00-13:00:00.log.gz", "conn.log.labeled", "irc-json.log", "labeled-conn.log".
   * Returns null when the name says nothing.
   */
  public static String kindFromFileName(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    int dot = name.indexOf('.');
    String base = dot < 0 ? name : name.substring(0, dot);
    for (String sep : new String[] {"", "-", "_"}) {
      for (String k : KNOWN) {
        if (sep.isEmpty() ? base.equals(k) : base.startsWith(k + sep) || base.endsWith(sep + k)) {
          return k;
        }
      }
    }
    return null;
  }

  /** Every Zeek log name the file-name rule recognises (including ones we only count). */
  private static final List<String> KNOWN = List.of("conn_long", "open_conn", "conn", "irc_open", "irc_cmd", "irc_pkt",
      "irc", "dns", "http", "files", "pe", "ssl",
      "x509", "notice", "weird", "analyzer", "known_services", "dhcp", "ssh", "smtp", "ftp", "tftp",
      "intel", "software", "capture_loss", "stats", "reporter", "dpd", "packet_filter", "loaded_scripts");

  static FlowKey flow(Row r, String proto) throws MalformedException {
    String o = addr(r, "id.orig_h");
    String h = addr(r, "id.resp_h");
    return new FlowKey(o, r.port("id.orig_p"), h, r.port("id.resp_p"), proto);
  }

  private static String addr(Row r, String name) throws MalformedException {
    String a = r.required(name);
    if (a.indexOf(':') >= 0) {
      String c = Addresses.canonical(a);
      if (c == a && Addresses.parse(a) == null) {
        throw new MalformedException("field " + name + " is not an address: " + a);
      }
      return c;
    }
    if (a.isEmpty() || !Character.isDigit(a.charAt(0)) || !Character.isDigit(a.charAt(a.length() - 1))) {
      throw new MalformedException("field " + name + " is not an address: " + a);
    }
    return a;
  }

  private static String proto(Row r, String fallback) throws MalformedException {
    String p = r.str("proto");
    if (p == null) {
      return fallback;
    }
    switch (p) {
      case "tcp": return "tcp";
      case "udp": return "udp";
      case "icmp": return "icmp";
      default: return p.toLowerCase(Locale.ROOT);
    }
  }

  static ConnEvent conn(Row r) throws MalformedException {
    return new ConnEvent(r.requiredMicros("ts"), r.str("uid"), flow(r, proto(r, "")), r.str("service"),
        r.micros("duration"), r.count("orig_bytes"), r.count("resp_bytes"), r.str("conn_state"),
        r.bool("local_orig"), r.bool("local_resp"), r.count("missed_bytes"), r.str("history"),
        r.count("orig_pkts"), r.count("orig_ip_bytes"), r.count("resp_pkts"), r.count("resp_ip_bytes"),
        r.str("community_id"));
  }

  static IrcEvent irc(Row r) throws MalformedException {
    return new IrcEvent(r.requiredMicros("ts"), r.str("uid"), flow(r, "tcp"), r.str("nick"), r.str("user"),
        r.required("command"), r.str("value"), r.str("addl"), r.str("dcc_file_name"),
        r.count("dcc_file_size"), r.str("dcc_mime_type"), r.str("fuid"));
  }

  static IrcCmdEvent ircCmd(Row r) throws MalformedException {
    String cmd = r.required("command");
    return new IrcCmdEvent(r.requiredMicros("ts"), r.str("uid"), flow(r, "tcp"), requiredBool(r, "is_orig"),
        cmd.toUpperCase(Locale.ROOT), r.str("target"), r.str("prefix"), r.count("num"), r.str("words"), r.str("tag"),
        r.str("url"), r.str("text"));
  }

  static IrcPktEvent ircPkt(Row r) throws MalformedException {
    long len = r.count("len");
    if (len < 0) {
      throw new MalformedException("field len is missing or unset");
    }
    return new IrcPktEvent(r.requiredMicros("ts"), r.str("uid"), flow(r, "tcp"), requiredBool(r, "is_orig"), len,
        r.micros("gap"), Boolean.TRUE.equals(r.bool("encrypted")));
  }

  private static boolean requiredBool(Row r, String name) throws MalformedException {
    Boolean b = r.bool(name);
    if (b == null) {
      throw new MalformedException("field " + name + " is missing or unset");
    }
    return b;
  }

  static DnsEvent dns(Row r) throws MalformedException {
    return new DnsEvent(r.requiredMicros("ts"), r.str("uid"), flow(r, proto(r, "udp")), r.count("trans_id"),
        r.micros("rtt"), r.str("query"), r.count("qtype"), r.str("qtype_name"), r.count("rcode"),
        r.str("rcode_name"), r.bool("AA"), r.bool("RD"), r.bool("RA"), r.list("answers"), ttls(r),
        r.bool("rejected"));
  }

  private static List<Long> ttls(Row r) throws MalformedException {
    List<String> raw = r.list("TTLs");
    if (raw.isEmpty()) {
      return List.of();
    }
    Long[] out = new Long[raw.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = Micros.parseAny(raw.get(i));
      } catch (NumberFormatException e) {
        throw new MalformedException("field TTLs is not a list of intervals: " + raw.get(i));
      }
    }
    return List.of(out);
  }

  static HttpEvent http(Row r) throws MalformedException {
    return new HttpEvent(r.requiredMicros("ts"), r.str("uid"), flow(r, "tcp"), r.str("method"), r.str("host"),
        r.str("uri"), r.str("user_agent"), r.count("request_body_len"), r.count("response_body_len"),
        r.count("status_code"), r.list("resp_fuids"), r.list("resp_mime_types"));
  }

  static FileEvent files(Row r) throws MalformedException {
    String uid = r.str("uid");
    if (uid == null) {
      List<String> connUids = r.list("conn_uids");
      uid = connUids.isEmpty() ? null : connUids.get(0);
    }
    FlowKey flow = r.str("id.orig_h") != null ? flow(r, "tcp") : null;
    return new FileEvent(r.requiredMicros("ts"), r.required("fuid"), uid, flow, r.str("source"),
        r.str("mime_type"), r.str("filename"), r.count("seen_bytes"), r.count("total_bytes"), r.str("md5"),
        r.str("sha1"), r.str("sha256"));
  }

  static org.bottrace.event.TlsEvent ssl(Row r) throws MalformedException {
    return new org.bottrace.event.TlsEvent(r.requiredMicros("ts"), r.str("uid"), flow(r, "tcp"), r.str("community_id"),
        r.str("version"), r.str("server_name"), r.str("subject"), r.str("issuer"), r.str("validation_status"),
        r.bool("established"), "ssl");
  }

  static PeEvent pe(Row r) throws MalformedException {
    return new PeEvent(r.requiredMicros("ts"), r.required("id"), r.str("machine"), r.str("os"),
        r.str("subsystem"), r.bool("is_exe"), r.bool("is_64bit"));
  }
}
