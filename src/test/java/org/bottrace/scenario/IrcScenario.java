package org.bottrace.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seeded IRC network with ground truth, written as the logs a sensor would give: people in several
 * channels with human delays (one idler, one with an auto-reply script), and two botnets (one keyed
 * channel on 6667 whose bots join in a burst, one on an odd port) whose bots answer their herder within
 * a second, with report tags. Written as Zeek TSV and Zeek JSON (conn, irc, and bottrace's irc_cmd/irc_pkt in
 * the package's format: the command words of the herder's lines, the bots' report tags) and as Zeek
 * irc/conn plus Suricata EVE (flows and the ET CHAT PRIVMSG alerts Suricata raises per client line).
 */
final class IrcScenario {
  /** One IRC client connection. */
  static final class Client {
    final String host;
    final int port;
    final String server;
    final int serverPort;
    final String nick;
    final String user;
    final String mode;
    final String realname;
    final String role; // human, bot, herder
    final String uid;
    final long start;
    long end;
    final Map<String, String> channels = new LinkedHashMap<>(); // channel -> key or null
    final Map<String, Long> joined = new LinkedHashMap<>();

    Client(String host, int port, String server, int serverPort, String nick, String user, String mode,
        String realname, String role, String uid, long start) {
      this.host = host;
      this.port = port;
      this.server = server;
      this.serverPort = serverPort;
      this.nick = nick;
      this.user = user;
      this.mode = mode;
      this.realname = realname;
      this.role = role;
      this.uid = uid;
      this.start = start;
    }
  }

  /** A line a client sent: its time, command, target and length on the wire. */
  /** A line a client sent: its time, command, target, length on the wire, and (or null) its command words and tag. */
  record Line(long ts, Client from, String command, String target, int len, String words, String tag) {}

  final List<Client> clients = new ArrayList<>();
  final List<Line> lines = new ArrayList<>();
  /** Ground truth. */
  final Set<String> bots = new TreeSet<>();
  final Set<String> servers = new TreeSet<>();
  final Set<String> channels = new TreeSet<>();
  final Set<String> herders = new TreeSet<>();
  private final Random rnd;
  private final long t0 = 1_790_000_000_000_000L;
  private final long end;
  private int uidSeq;

  IrcScenario(long seed) {
    rnd = new Random(seed);
    end = t0 + 20 * 60_000_000L;
    String[] people = {"alice", "bob_k", "carlos", "dmitri", "eve_s", "frank", "gwen", "hiro", "ines", "jonas",
        "kat", "liam"};
    String[] chans = {"#linux", "#help", "#random", "#music"};
    // people on 203.0.113.5:6667, two or three channels each
    for (int i = 0; i < people.length; i++) {
      Client c = client("192.0.2." + (10 + i), "203.0.113.5", 6667, people[i], people[i], "0",
          Character.toUpperCase(people[i].charAt(0)) + people[i].substring(1) + " Doe", "human",
          t0 + ms(rnd.nextInt(240_000)));
      int n = 2 + rnd.nextInt(2);
      List<String> pick = new ArrayList<>(List.of(chans));
      java.util.Collections.shuffle(pick, rnd);
      for (String ch : pick.subList(0, n)) {
        join(c, ch, null, c.start + ms(800 + rnd.nextInt(3000)));
      }
    }
    Client idler = client("192.0.2.40", "203.0.113.5", 6667, "zed", "zed", "0", "Zed", "human", t0 + ms(5_000));
    join(idler, "#help", null, idler.start + ms(2_500));
    Client script = client("192.0.2.41", "203.0.113.5", 6667, "quickpete", "pete", "0", "Pete Quick", "human",
        t0 + ms(9_000));
    join(script, "#linux", null, script.start + ms(1_200));
    join(script, "#random", null, script.start + ms(1_300));

    // botnet 1: keyed channel on 198.51.100.66:6667, beside people
    botnet("198.51.100.66", 6667, "#x1", "k3yz", 10, t0 + ms(180_000), 60_000, true, "203.0.113.200", "boss");
    for (int i = 0; i < 3; i++) {
      Client c = client("192.0.2." + (50 + i), "198.51.100.66", 6667, new String[] {"maria", "tomas", "yuki"}[i],
          "u" + i, "0", "User " + i, "human", t0 + ms(rnd.nextInt(300_000)));
      join(c, "#lobby", null, c.start + ms(1_000));
      join(c, "#chat", null, c.start + ms(1_100));
    }
    // botnet 2: an odd port, random nicks, no key
    botnet("203.0.113.77", 5555, "#z", null, 6, t0 + ms(480_000), 30_000, false, "198.51.100.201", "rootz");

    // people talk
    for (String ch : chans) {
      chat(ch, "203.0.113.5");
    }
    chat("#lobby", "198.51.100.66");
    chat("#chat", "198.51.100.66");
    // the auto-reply script: answers "ping" mentions within a second, five times
    for (int k = 0; k < 5; k++) {
      long t = t0 + ms(200_000 + k * 150_000);
      Client asker = firstIn("#linux", "203.0.113.5", script);
      line(asker, "PRIVMSG", "#linux", t, 30);
      line(script, "PRIVMSG", "#linux", t + ms(480 + rnd.nextInt(560)), 20);
    }
    // lag pings of people
    for (Client c : clients) {
      if (c.role.equals("human")) {
        for (long t = c.start + ms(60_000 + rnd.nextInt(15_000)); t < end; t += ms(60_000 + rnd.nextInt(15_000))) {
          line(c, "PING", null, t, 20 + rnd.nextInt(4));
        }
      }
    }
    for (Client c : clients) {
      c.end = end;
    }
    lines.sort(Comparator.comparingLong(Line::ts));
  }

  private static long ms(long m) {
    return m * 1000;
  }

  private Client client(String host, String server, int sport, String nick, String user, String mode,
      String real, String role, long start) {
    Client c = new Client(host, 40000 + clients.size(), server, sport, nick, user, mode, real, role,
        String.format(Locale.ROOT, "Cscn%014d", ++uidSeq), start);
    clients.add(c);
    line(c, "NICK", nick, start, 7 + nick.length());
    line(c, "USER", user, start + 1, 14 + user.length() + real.length());
    return c;
  }

  private void join(Client c, String ch, String key, long ts) {
    c.channels.put(ch, key);
    c.joined.put(ch, ts);
    line(c, "JOIN", ch, ts, 7 + ch.length() + (key == null ? 0 : key.length() + 1));
  }

  private void line(Client c, String cmd, String target, long ts, int len) {
    lines.add(new Line(ts, c, cmd, target, len, null, null));
  }

  private void line(Client c, String cmd, String target, long ts, int len, String words, String tag) {
    lines.add(new Line(ts, c, cmd, target, len, words, tag));
  }

  private Client firstIn(String ch, String server, Client not) {
    for (Client c : clients) {
      if (c != not && c.server.equals(server) && c.channels.containsKey(ch)) {
        return c;
      }
    }
    throw new IllegalStateException(ch);
  }

  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

  private String randomNick() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      b.append(i % 2 == 1 && rnd.nextBoolean() ? (char) ('0' + rnd.nextInt(10)) : LETTERS.charAt(rnd.nextInt(26)));
    }
    return b.toString();
  }

  private void botnet(String server, int port, String ch, String key, int n, long joinStart, long joinSpan,
      boolean tagged, String herderHost, String herderNick) {
    servers.add(server + "|" + port);
    channels.add(server + "|" + port + "|" + ch);
    herders.add(herderHost);
    Client h = client(herderHost, server, port, herderNick, herderNick.substring(0, 2), "0", herderNick, "herder",
        joinStart - ms(90_000));
    join(h, ch, null, h.start + ms(1_500));
    line(h, "MODE", ch, h.start + ms(2_200), 20);
    List<Client> members = new ArrayList<>();
    String[] cc = {"US", "DE", "CN", "BR", "IN", "RU"};
    String[] os = {"XP", "W7", "W10"};
    for (int i = 0; i < n; i++) {
      String nick = tagged ? "[" + cc[rnd.nextInt(cc.length)] + "|" + os[rnd.nextInt(os.length)] + "]"
          + (100000 + rnd.nextInt(900000)) : randomNick();
      String user = randomNick().substring(0, 4).replaceAll("[0-9]", "q");
      long start = joinStart + i * joinSpan / n + ms(rnd.nextInt(2_000));
      Client b = client("10.9." + (port % 250) + "." + (10 + i), server, port, nick, user, "8", user, "bot", start);
      join(b, ch, key, start + ms(300 + rnd.nextInt(400)));
      members.add(b);
      bots.add(b.host);
    }
    // commands every 30-60 s after every bot has joined, answered within a second
    String[][] orders = {{"!sysinfo", "[SYSINFO]:"}, {"!scan 445 10.9.0.0", "[SCAN]:"}, {"!ddos.syn 192.0.2.99", "[DDoS]:"}};
    int k = 0;
    for (long t = joinStart + joinSpan + ms(20_000); t < end - ms(60_000); t += ms(30_000 + rnd.nextInt(30_000))) {
      String[] o = orders[k++ % orders.length];
      line(h, "PRIVMSG", ch, t, 20 + rnd.nextInt(20), o[0], null);
      for (Client b : members) {
        if (rnd.nextDouble() < 0.9) {
          line(b, "PRIVMSG", ch, t + ms(100 + rnd.nextInt(700)), 50 + rnd.nextInt(40), null, o[1]);
        }
      }
    }
  }

  /** People talking in a channel: lognormal gaps, answers after a typing delay of 2-20 s. */
  private void chat(String ch, String server) {
    List<Client> in = new ArrayList<>();
    for (Client c : clients) {
      if (c.server.equals(server) && c.channels.containsKey(ch) && c.role.equals("human") && !c.nick.equals("zed")
          && !c.nick.equals("quickpete")) {
        in.add(c);
      }
    }
    if (in.size() < 2) {
      return;
    }
    long t = t0 + ms(300_000);
    while (t < end - ms(30_000)) {
      Client a = in.get(rnd.nextInt(in.size()));
      line(a, "PRIVMSG", ch, t, 20 + rnd.nextInt(120));
      if (rnd.nextDouble() < 0.5) {
        Client b = in.get(rnd.nextInt(in.size()));
        if (b != a) {
          line(b, "PRIVMSG", ch, t + ms(2_000 + rnd.nextInt(18_000)), 10 + rnd.nextInt(80));
        }
      }
      t += (long) (Math.exp(Math.log(40e6) + 0.8 * rnd.nextGaussian()));
    }
  }

  // ---- writing ----

  private static String ts(long micros) {
    return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
  }

  private static final String[] CONN = {"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
      "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "history"};
  private static final String[] CONN_T = {"time", "string", "addr", "port", "addr", "port", "enum", "string",
      "interval", "count", "count", "string", "string"};
  private static final String[] IRC = {"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "nick",
      "user", "command", "value", "addl"};
  private static final String[] IRC_T = {"time", "string", "addr", "port", "addr", "port", "string", "string",
      "string", "string", "string"};
  private static final String[] CMD = {"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "is_orig",
      "command", "target", "prefix", "num", "words", "tag", "url", "text"};
  private static final String[] CMD_T = {"time", "string", "addr", "port", "addr", "port", "bool", "string",
      "string", "string", "count", "string", "string", "string", "string"};
  private static final String[] PKT = {"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "is_orig",
      "len", "gap"};
  private static final String[] PKT_T = {"time", "string", "addr", "port", "addr", "port", "bool", "count",
      "interval"};

  /** One log being written, as Zeek TSV or Zeek JSON. */
  private static final class Log {
    final String path;
    final String[] fields;
    final boolean json;
    final StringBuilder out = new StringBuilder();
    final List<Object[]> rows = new ArrayList<>();

    Log(String path, String[] fields, String[] types, boolean json) {
      this.path = path;
      this.fields = fields;
      this.json = json;
      if (!json) {
        out.append("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t")
            .append(path).append("\n#open\t2026-09-21-00-00-00\n#fields\t").append(String.join("\t", fields))
            .append("\n#types\t").append(String.join("\t", types)).append('\n');
      }
    }

    void row(Object... v) {
      rows.add(v);
    }

    void write(Path dir) throws IOException {
      rows.sort(Comparator.comparing(r -> (String) r[0]));
      ObjectMapper m = new ObjectMapper();
      for (Object[] v : rows) {
        if (json) {
          ObjectNode o = m.createObjectNode();
          for (int i = 0; i < fields.length; i++) {
            Object x = v[i];
            if (x == null) {
              continue;
            }
            if (i == 0 || x instanceof Double) {
              o.put(fields[i], Double.parseDouble(x.toString()));
            } else if (x instanceof Integer || x instanceof Long) {
              o.put(fields[i], ((Number) x).longValue());
            } else if (x instanceof Boolean) {
              o.put(fields[i], (Boolean) x);
            } else {
              o.put(fields[i], x.toString());
            }
          }
          out.append(m.writeValueAsString(o)).append('\n');
        } else {
          List<String> s = new ArrayList<>();
          for (Object x : v) {
            s.add(x == null ? "-" : x instanceof Boolean ? ((Boolean) x ? "T" : "F") : x.toString().isEmpty()
                ? "(empty)" : x.toString());
          }
          out.append(String.join("\t", s)).append('\n');
        }
      }
      if (!json) {
        out.append("#close\t2026-09-21-01-00-00\n");
      }
      Files.writeString(dir.resolve(path + ".log"), out.toString());
    }
  }

  /** Writes the Zeek logs (with bottrace's irc_cmd/irc_pkt when {@code script}) into dir. */
  void writeZeek(Path dir, boolean json, boolean script) throws IOException {
    Files.createDirectories(dir);
    Log conn = new Log("conn", CONN, CONN_T, json);
    Log irc = new Log("irc", IRC, IRC_T, json);
    Log cmd = new Log("irc_cmd", CMD, CMD_T, json);
    Log pkt = new Log("irc_pkt", PKT, PKT_T, json);
    Map<Client, long[]> lastPkt = new LinkedHashMap<>(); // [to server, to client]
    for (Client c : clients) {
      conn.row(ts(c.start - 1000), c.uid, c.host, c.port, c.server, c.serverPort, "tcp", "irc",
          ts(c.end - c.start + 1000), 2000, 40000, "SF", "ShADadFf");
      lastPkt.put(c, new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
    }
    for (Line l : lines) {
      Client c = l.from();
      Object[] id = {c.uid, c.host, c.port, c.server, c.serverPort};
      switch (l.command()) {
        case "NICK":
          irc.row(ts(l.ts()), c.uid, c.host, c.port, c.server, c.serverPort, null, null, "NICK", c.nick, null);
          break;
        case "USER":
          irc.row(ts(l.ts()), c.uid, c.host, c.port, c.server, c.serverPort, c.nick, null, "USER", c.user,
              c.mode + " * " + c.realname);
          break;
        case "JOIN":
          String key = c.channels.get(l.target());
          irc.row(ts(l.ts()), c.uid, c.host, c.port, c.server, c.serverPort, c.nick, c.user, "JOIN", l.target(),
              key == null ? "" : " with channel key: '" + key + "'");
          break;
        default:
          break;
      }
      cmd.row(ts(l.ts()), id[0], id[1], id[2], id[3], id[4], true, l.command(), l.target(), null, null, l.words(),
          l.tag(), null, null);
      packet(pkt, lastPkt, c, true, l.ts(), l.len());
      // the server relays channel lines and mode changes to every other member
      if ((l.command().equals("PRIVMSG") || l.command().equals("MODE")) && l.target() != null) {
        for (Client o : clients) {
          if (o != c && o.server.equals(c.server) && o.serverPort == c.serverPort
              && o.joined.getOrDefault(l.target(), Long.MAX_VALUE) < l.ts()) {
            long at = l.ts() + 2000;
            cmd.row(ts(at), o.uid, o.host, o.port, o.server, o.serverPort, false, l.command(), l.target(),
                c.nick + "!" + c.user + "@" + c.host, null, l.words(), l.tag(), null, null);
            packet(pkt, lastPkt, o, false, at, l.len() + c.nick.length() + c.host.length() + 5);
          }
          if (o == c && l.command().equals("MODE")) {
            cmd.row(ts(l.ts() + 1000), o.uid, o.host, o.port, o.server, o.serverPort, false, "MODE", l.target(),
                c.nick + "!" + c.user + "@" + c.host, null, null, null, null, null);
          }
        }
      }
    }
    conn.write(dir);
    irc.write(dir);
    if (script) {
      cmd.write(dir);
      pkt.write(dir);
    }
  }

  private static void packet(Log pkt, Map<Client, long[]> last, Client c, boolean orig, long ts, int len) {
    long[] l = last.get(c);
    int i = orig ? 0 : 1;
    pkt.row(ts(ts), c.uid, c.host, c.port, c.server, c.serverPort, orig, len,
        l[i] == Long.MIN_VALUE ? null : ts(ts - l[i]));
    l[i] = ts;
  }

  /** Writes Suricata's view: a flow per connection and an ET CHAT alert per client PRIVMSG/NICK/JOIN. */
  void writeEve(Path file) throws IOException {
    ObjectMapper m = new ObjectMapper();
    StringBuilder out = new StringBuilder();
    List<Object[]> events = new ArrayList<>();
    long flowId = 1_000_000_000_000L;
    Map<Client, Long> ids = new LinkedHashMap<>();
    for (Client c : clients) {
      ids.put(c, flowId++);
    }
    for (Line l : lines) {
      String sig = switch (l.command()) {
        case "PRIVMSG" -> "ET CHAT IRC PRIVMSG command";
        case "NICK" -> "ET CHAT IRC NICK command";
        case "JOIN" -> "ET CHAT IRC JOIN command";
        default -> null;
      };
      if (sig == null) {
        continue;
      }
      Client c = l.from();
      ObjectNode a = m.createObjectNode();
      a.put("timestamp", iso(l.ts()));
      a.put("flow_id", ids.get(c));
      a.put("event_type", "alert");
      a.put("src_ip", c.host).put("src_port", c.port).put("dest_ip", c.server).put("dest_port", c.serverPort);
      a.put("proto", "TCP");
      ObjectNode al = a.putObject("alert");
      al.put("action", "allowed").put("gid", 1).put("signature_id", sig.contains("PRIVMSG") ? 2002026
          : sig.contains("NICK") ? 2002024 : 2002025).put("rev", 1).put("signature", sig)
          .put("category", "Misc activity").put("severity", 3);
      a.put("app_proto", "failed");
      events.add(new Object[] {l.ts(), m.writeValueAsString(a)});
    }
    for (Client c : clients) {
      ObjectNode f = m.createObjectNode();
      f.put("timestamp", iso(c.end));
      f.put("flow_id", ids.get(c));
      f.put("event_type", "flow");
      f.put("src_ip", c.host).put("src_port", c.port).put("dest_ip", c.server).put("dest_port", c.serverPort);
      f.put("proto", "TCP").put("app_proto", "failed");
      ObjectNode fl = f.putObject("flow");
      fl.put("pkts_toserver", 40).put("pkts_toclient", 60).put("bytes_toserver", 3000).put("bytes_toclient", 40000)
          .put("start", iso(c.start - 1000)).put("end", iso(c.end)).put("age", (c.end - c.start) / 1_000_000)
          .put("state", "closed").put("reason", "timeout").put("alerted", true);
      events.add(new Object[] {c.end, m.writeValueAsString(f)});
    }
    events.sort(Comparator.comparingLong(e -> (Long) e[0]));
    for (Object[] e : events) {
      out.append(e[1]).append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, out.toString());
  }

  private static String iso(long micros) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS+0000", Locale.ROOT)
        .withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
  }
}
