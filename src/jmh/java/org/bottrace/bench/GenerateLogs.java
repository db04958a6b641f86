package org.bottrace.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes large, realistic logs for the end-to-end benchmark: a Zeek conn.log (TSV, Zeek 7 columns)
 * and a Suricata eve.json (flow, dns, alert, http events in the proportions of a busy sensor), both
 * in time order over a day, from a fixed seed so every run reads the same bytes.
 *
 * <p>Usage: {@code GenerateLogs DIR CONN_LINES EVE_EVENTS}
 */
public final class GenerateLogs {
  private static final long DAY_START = 1_773_446_400_000_000L; // 2026-03-14T00:00:00Z in microseconds

  private GenerateLogs() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "bench-data");
    long conn = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
    long eve = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000L;
    Files.createDirectories(dir);
    writeConn(dir.resolve("conn.log"), conn);
    writeEve(dir.resolve("eve.json"), eve);
  }

  static String internal(SplittableRandom r) {
    return "10." + r.nextInt(4) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  static String external(SplittableRandom r) {
    int a = 1 + r.nextInt(223);
    if (a == 10 || a == 127) {
      a++;
    }
    return a + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  static String uid(SplittableRandom r) {
    String abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder("C");
    for (int i = 0; i < 17; i++) {
      b.append(abc.charAt(r.nextInt(abc.length())));
    }
    return b.toString();
  }

  static void writeConn(Path file, long lines) throws IOException {
    SplittableRandom r = new SplittableRandom(7351);
    String[] states = {"SF", "SF", "SF", "SF", "S0", "REJ", "RSTO", "RSTR", "SH", "OTH", "S1"};
    String[] services = {"dns", "ssl", "http", "-", "-", "ssl", "dns", "irc", "ntp"};
    long step = 86_400_000_000L / Math.max(1, lines);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
          + "#open\t2026-03-14-00-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice"
          + "\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts"
          + "\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto\n#types\ttime\tstring\taddr\tport\taddr"
          + "\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount"
          + "\tset[string]\tcount\n");
      StringBuilder b = new StringBuilder(256);
      for (long i = 0; i < lines; i++) {
        long ts = DAY_START + i * step + r.nextInt((int) Math.max(1, step));
        String svc = services[r.nextInt(services.length)];
        boolean udp = svc.equals("dns") || svc.equals("ntp");
        long dur = r.nextInt(4_000_000);
        long ob = r.nextInt(5000);
        long rb = r.nextInt(80_000);
        b.setLength(0);
        b.append(ts / 1_000_000).append('.').append(String.format(Locale.ROOT, "%06d", ts % 1_000_000)).append('\t')
            .append(uid(r)).append('\t').append(internal(r)).append('\t').append(1024 + r.nextInt(64_000)).append('\t')
            .append(external(r)).append('\t').append(udp ? (svc.equals("dns") ? 53 : 123) : 443).append('\t')
            .append(udp ? "udp" : "tcp").append('\t').append(svc).append('\t')
            .append(dur / 1_000_000).append('.').append(String.format(Locale.ROOT, "%06d", dur % 1_000_000)).append('\t')
            .append(ob).append('\t').append(rb).append('\t').append(states[r.nextInt(states.length)])
            .append("\tT\tF\t0\tShADadFf\t").append(1 + ob / 500).append('\t').append(ob + 40).append('\t')
            .append(1 + rb / 1400).append('\t').append(rb + 40).append("\t-\t").append(udp ? 17 : 6).append('\n');
        w.write(b.toString());
      }
      w.write("#close\t2026-03-15-00-00-00\n");
    }
  }

  static String iso(long micros) {
    java.time.Instant t = java.time.Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    String s = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
        .withZone(java.time.ZoneOffset.UTC).format(t);
    return s + "+0000";
  }

  static void writeEve(Path file, long events) throws IOException {
    SplittableRandom r = new SplittableRandom(1337);
    long step = 86_400_000_000L / Math.max(1, events);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (long i = 0; i < events; i++) {
        long ts = DAY_START + i * step;
        String src = internal(r);
        String dst = external(r);
        long flowId = r.nextLong() & 0x7ffffffffffffL;
        int sp = 1024 + r.nextInt(64_000);
        int kind = r.nextInt(100);
        String head = "{\"timestamp\":\"" + iso(ts) + "\",\"flow_id\":" + flowId + ",\"in_iface\":\"eth1\",\"event_type\":\"";
        String line;
        if (kind < 55) {
          long start = ts - r.nextInt(30_000_000);
          line = head + "flow\",\"src_ip\":\"" + src + "\",\"src_port\":" + sp + ",\"dest_ip\":\"" + dst
              + "\",\"dest_port\":443,\"proto\":\"TCP\",\"app_proto\":\"tls\",\"flow\":{\"pkts_toserver\":" + r.nextInt(90)
              + ",\"pkts_toclient\":" + r.nextInt(120) + ",\"bytes_toserver\":" + r.nextInt(9000) + ",\"bytes_toclient\":"
              + r.nextInt(90000) + ",\"start\":\"" + iso(start) + "\",\"end\":\"" + iso(ts) + "\",\"age\":"
              + r.nextInt(30) + ",\"state\":\"closed\",\"reason\":\"timeout\",\"alerted\":false},\"tcp\":{\"tcp_flags\":"
              + "\"1b\",\"tcp_flags_ts\":\"1b\",\"tcp_flags_tc\":\"1b\",\"syn\":true,\"fin\":true,\"psh\":true,\"ack\":true,"
              + "\"state\":\"closed\"}}";
        } else if (kind < 85) {
          String name = "host" + r.nextInt(50_000) + ".example" + r.nextInt(40) + ".com";
          line = head + "dns\",\"src_ip\":\"" + src + "\",\"src_port\":" + sp + ",\"dest_ip\":\"10.0.0.53\",\"dest_port\":53,"
              + "\"proto\":\"UDP\",\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":" + r.nextInt(65536) + ",\"flags\":"
              + "\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rrname\":\"" + name + "\",\"rrtype\":\"A\","
              + "\"rcode\":\"NOERROR\",\"answers\":[{\"rrname\":\"" + name + "\",\"rrtype\":\"A\",\"ttl\":" + r.nextInt(3600)
              + ",\"rdata\":\"" + dst + "\"}],\"grouped\":{\"A\":[\"" + dst + "\"]}}}";
        } else if (kind < 95) {
          line = head + "alert\",\"src_ip\":\"" + src + "\",\"src_port\":" + sp + ",\"dest_ip\":\"" + dst
              + "\",\"dest_port\":6667,\"proto\":\"TCP\",\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":2002026,"
              + "\"rev\":21,\"signature\":\"ET CHAT IRC PRIVMSG command\",\"category\":\"Misc activity\",\"severity\":3},"
              + "\"app_proto\":\"failed\",\"direction\":\"to_server\",\"flow\":{\"pkts_toserver\":12,\"pkts_toclient\":10,"
              + "\"bytes_toserver\":915,\"bytes_toclient\":3273,\"start\":\"" + iso(ts - 5_000_000) + "\",\"src_ip\":\"" + src
              + "\",\"dest_ip\":\"" + dst + "\",\"src_port\":" + sp + ",\"dest_port\":6667}}";
        } else {
          line = head + "http\",\"src_ip\":\"" + src + "\",\"src_port\":" + sp + ",\"dest_ip\":\"" + dst + "\",\"dest_port\":80,"
              + "\"proto\":\"TCP\",\"tx_id\":0,\"http\":{\"hostname\":\"www" + r.nextInt(1000) + ".example.net\",\"url\":\"/i/"
              + r.nextInt(100000) + ".png\",\"http_user_agent\":\"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
              + "Firefox/128.0\",\"http_content_type\":\"image/png\",\"http_method\":\"GET\",\"protocol\":\"HTTP/1.1\","
              + "\"status\":200,\"length\":" + r.nextInt(200000) + "}}";
        }
        w.write(line);
        w.write('\n');
      }
    }
  }
}
