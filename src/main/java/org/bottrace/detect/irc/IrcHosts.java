package org.bottrace.detect.irc;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.EveAlert;
import org.bottrace.event.Event;
import org.bottrace.event.Micros;
import org.bottrace.state.StateStore;

/**
 * What each host did on IRC lately, the host-keyed view of the IRC records (IRC::Botnet's session model
 * is keyed by server): its first and last IRC record and the server of the last, when channel lines were
 * delivered to it, and the C&amp;C commands it received (a topic, a channel line, a private line; from
 * {@link IrcFacts} and from bottrace's Suricata rules). The stage detectors read it to say what IRC came
 * before what a host did next: Bot::Download's download of the URL an order named, Scan::Propagation's
 * scan of the port it named. Each detector keeps its own, in its own checkpointed cache, keyed by host as
 * its other state is.
 */
public final class IrcHosts {
  /**
   * One command a host received: when, on which server and channel (null: private or unknown), from whom
   * (nick!user@host, or null), its words, the URL it named, and where it came ("topic", "line",
   * "private", or "alert" for a Suricata rule's).
   */
  public record Order(long ts, String server, String channel, String from, String words, String url, String in) {
    /** The order as a notice's evidence, as seen from something that began at {@code at}. */
    public Map<String, Object> evidence(long at) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", words);
      m.put("url", url);
      m.put("from", from);
      m.put("server", server);
      m.put("channel", channel);
      m.put("in", in);
      m.put("seconds_before", Math.round((at - ts) / 1e3) / 1e3);
      m.put("at", Micros.formatEpoch(ts));
      m.values().removeIf(v -> v == null);
      return m;
    }

    /** For a notice's message: "the topic of #rx: .download http://...", "x7boss's command in #x7: !scan 445". */
    public String describe() {
      String what = words + (url == null ? "" : ", URL " + url);
      String who = from == null ? "" : IrcFacts.nickOf(from) + "'s ";
      switch (in) {
        case "topic": return "the topic of " + channel + ": " + what;
        case "line": return who + "command in " + channel + ": " + what;
        case "private": return who + "private command: " + what;
        default: return "a command (" + what + ")";
      }
    }

    /** The ports it names: numbers among its words, and the scan modules of rBot-style {@code .advscan}. */
    public java.util.Set<Integer> ports() {
      java.util.Set<Integer> out = new java.util.TreeSet<>();
      if (words == null) {
        return out;
      }
      Matcher m = NUMBER.matcher(words);
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        if (n > 0 && n < 65536) {
          out.add((int) n);
        }
      }
      for (String w : words.toLowerCase(java.util.Locale.ROOT).split("\\s+")) {
        Integer p = MODULES.get(w.replaceAll("\\d+$", ""));
        if (p != null) {
          out.add(p);
        }
      }
      return out;
    }
  }

  private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])(\\d{1,5})(?![\\w.])");
  /** rBot/SDBot scan modules and the port each exploits. */
  private static final Map<String, Integer> MODULES = Map.of("dcom", 135, "lsass", 445, "asn", 445, "netbios", 139,
      "ntpass", 139, "mssql", 1433, "webdav", 80, "wkssvc", 445, "upnp", 5000, "netapi", 445);

  /**
   * A host's IRC activity (a concrete class: it is written into checkpoints): first and last IRC record,
   * the server of the last, when channel lines were delivered to it (the latest {@code MAX_DELIVERED}),
   * and its recent orders.
   */
  static final class Host {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    String server;
    ArrayList<Long> delivered = new ArrayList<>();
    ArrayList<Order> orders = new ArrayList<>();

    Host() {}
  }

  /** The IRC a host had before something it began: its server, and how long after a delivered line. */
  public record Before(String server, long lineGap) {}

  private static final int MAX = 64;
  private static final int MAX_DELIVERED = 16;
  private final Cache<String, Host> hosts;

  /** Hosts kept {@code keep} of log time after their last IRC record or order, in the cache {@code name}. */
  public IrcHosts(DetectorContext ctx, String name, long maxEntries, Duration keep) {
    this.hosts = ctx.cache(name, maxEntries, keep, null, StateStore.Codec.of(String.class, Host.class));
  }

  /** Takes the IRC activity and the commands an event carries. */
  public void onEvent(Event e) {
    IrcFacts.Record r = IrcFacts.of(e);
    if (r != null) {
      if (!r.makesSession()) {
        return; // an ftp event with nothing IRC-like in it: FTP, most likely
      }
      String server = r.session().respH() + ":" + r.session().respP();
      Host h = activity(r.session(), r.ts());
      for (IrcFacts.Fact f : r.facts()) {
        if (f instanceof IrcFacts.Delivered d) {
          if (!d.topic() && d.channel() != null) {
            if (h.delivered.size() >= MAX_DELIVERED) {
              h.delivered.remove(0);
            }
            h.delivered.add(r.ts());
          }
          if (BotCommands.command(d.words(), d.url()) != null) {
            add(r.session().origH(), new Order(r.ts(), server, d.channel(), d.from(), d.words(), d.url(),
                d.topic() ? "topic" : d.channel() == null ? "private" : "line"));
          }
        }
      }
    } else if (e instanceof org.bottrace.event.IrcPktEvent p) {
      activity(p.flow(), p.ts());
    } else if (e instanceof EveAlert a && !"to_server".equals(a.direction())
        && (a.evidence().contains(EveAlert.RuleEvidence.IRC_ORDER)
        || a.evidence().contains(EveAlert.RuleEvidence.IRC_COMMAND))) {
      // bottrace's rules for commands fire on the packet to the client
      add(a.flow().respH(), new Order(a.ts(), a.flow().origH() + ":" + a.flow().origP(), null, null,
          a.signature() + " (" + a.sid() + ")", null, "alert"));
    }
  }

  private Host activity(org.bottrace.event.FlowKey f, long ts) {
    Host h = hosts.get(f.origH(), k -> new Host());
    h.first = Math.min(h.first, ts);
    h.last = Math.max(h.last, ts);
    h.server = f.respH() + ":" + f.respP();
    return h;
  }

  /**
   * The IRC {@code host} had before something it began at {@code at}: when its IRC records began before
   * then and had not stopped more than {@code window} before, the server of its last, and how long after
   * the latest channel line delivered to it no more than {@code lineWindow} before (-1: none); else null.
   */
  public Before before(String host, long at, long window, long lineWindow) {
    Host h = hosts.getIfPresent(host);
    if (h == null || h.first > at || h.last < at - window) {
      return null;
    }
    long gap = -1;
    for (long t : h.delivered) {
      if (t <= at && at - t <= lineWindow) {
        gap = at - t;
      }
    }
    return new Before(h.server, gap);
  }

  private void add(String host, Order o) {
    Host h = hosts.get(host, k -> new Host());
    if (h.orders.size() >= MAX) {
      h.orders.remove(0);
    }
    h.orders.add(o);
    hosts.put(host, h);
  }

  /**
   * The order that most likely made {@code host} do what it began at {@code at}: the latest at or before
   * it, within {@code window}, that {@code matches} (its URL or port is the one used), else the latest
   * within the window; null when none.
   */
  public Order order(String host, long at, long window, Predicate<Order> matches) {
    Host h = hosts.getIfPresent(host);
    if (h == null) {
      return null;
    }
    Order best = null;
    Order any = null;
    for (Order o : h.orders) {
      if (o.ts() <= at && at - o.ts() <= window) {
        if (any == null || o.ts() >= any.ts()) {
          any = o;
        }
        if (matches.test(o) && (best == null || o.ts() >= best.ts())) {
          best = o;
        }
      }
    }
    return best != null ? best : any;
  }
}
