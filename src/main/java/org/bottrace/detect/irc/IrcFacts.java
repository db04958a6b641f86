package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bottrace.event.Event;
import org.bottrace.event.EveFtp;
import org.bottrace.event.FlowKey;
import org.bottrace.event.IrcCmdEvent;
import org.bottrace.event.IrcEvent;

/**
 * What an IRC record says about one client session, in one form for every detector that reads IRC
 * (IRC::ControlSession, IRC::Botnet, Bot::Download, Scan::Propagation): Zeek's irc.log, bottrace's
 * irc_cmd.log and Suricata's ftp events of IRC are parsed here once, with one idea of what a channel
 * name is. The detectors keep what they need of the facts in their own state.
 */
public final class IrcFacts {
  private IrcFacts() {}

  /**
   * The facts of one record: the session (client to server), when, which log, the record's uid and the
   * facts themselves (empty when the record shows the session but says nothing of it).
   */
  public record Record(FlowKey session, long ts, String source, String uid, boolean zeek, List<Fact> facts) {
    /** The facts are shared by every detector that asks: they cannot be changed. */
    public Record {
      facts = List.copyOf(facts);
    }

    /** Whether the log shows every command the client sends (irc_cmd.log): then what is not there was not sent. */
    public boolean everyCommand() {
      return source.equals(IRC_CMD);
    }

    /**
     * Whether the record may make a session known: every IRC record does, except a Suricata ftp event
     * with nothing IRC-like in it (it adds to a session known already, and is FTP otherwise).
     */
    public boolean makesSession() {
      return !source.equals(FTP) || !facts.isEmpty();
    }

    /** Whether it is a Suricata record (no Zeek uid). */
    public boolean suricata() {
      return source.equals(FTP);
    }
  }

  /** The sources as the notices name them. */
  public static final String IRC_LOG = "zeek irc.log";
  public static final String IRC_CMD = "bottrace irc_cmd.log";
  public static final String FTP = "suricata ftp events";
  /** irc_pkt.log, which IRC::Botnet reads itself (its rows are packets, not lines). */
  public static final String IRC_PKT = "bottrace irc_pkt.log";

  /** One fact about a session. */
  public sealed interface Fact permits Nick, User, Join, JoinEcho, MemberJoined, Part, Pass, ClientCommand, ModeRelayed,
      OwnLine, Delivered, NamesList, Dcc, ServerName, UserCounts, ChannelModes, ChannelError {}

  /** The client's nick (from NICK, a welcome, a JOIN echo, or irc.log's nick column). */
  public record Nick(String nick) implements Fact {}

  /** Its USER line: user name, mode (or host), real name, and the arguments after the user name as logged. */
  public record User(String ident, String mode, String realname, String args) implements Fact {}

  /** It joined a channel, with the key it gave (or null). */
  public record Join(String channel, String key) implements Fact {}

  /**
   * The server's echo of a JOIN in Suricata's ftp events: {@code nick} joined {@code channel}; the
   * client's own join when the nick is its own or it has none yet (the event that welcomed it usually
   * holds the echo too), another member's otherwise.
   */
  public record JoinEcho(String nick, String channel) implements Fact {}

  /**
   * A JOIN the server relayed to the client (irc_cmd.log's server-side JOIN rows): its own join echoed
   * when the nick is one it registered, another member's (a channel's growth as a member sees it) when
   * it has a nick and this is not it; nothing when it has none yet (watching began mid-session).
   */
  public record MemberJoined(String nick, String channel) implements Fact {}

  /** It left a channel. */
  public record Part(String channel) implements Fact {}

  /** It sent a server password (never logged). */
  public record Pass() implements Fact {}

  /** A command line the client sent (upper case): irc_cmd.log shows all of them, so PASS's absence is known. */
  public record ClientCommand(String command) implements Fact {}

  /** The server relayed a MODE change of a channel by {@code from} (a nick). */
  public record ModeRelayed(String channel, String from) implements Fact {}

  /** A channel's modes as the server told the client (a relayed MODE change, or 324): {@code +smntk}. */
  public record ChannelModes(String channel, String modes) implements Fact {}

  /**
   * A channel error the server sent the client: 403-405 (no such channel, cannot send, too many
   * channels), 471-477 (full, invite only, banned, bad key, ...), 482 (not an operator).
   */
  public record ChannelError(String channel, String code) implements Fact {}

  /** The channel errors {@link ChannelError} names. */
  static final java.util.Set<String> CHANNEL_ERRORS = java.util.Set.of("403", "404", "405", "471", "473", "474",
      "475", "476", "477", "482");

  /** A PRIVMSG or NOTICE the client sent (channel null when private), with the facts of its text. */
  public record OwnLine(String channel, String words, String tag, String url) implements Fact {}

  /**
   * A line delivered to the client: another member's PRIVMSG or NOTICE ({@code from} nick!user@host;
   * channel null when private), or a topic ({@code topic}: 332, from null, or TOPIC, from its setter).
   */
  public record Delivered(String channel, String from, String words, String url, boolean topic) implements Fact {}

  /** A NAMES reply: channel, the nicks (rank prefixes left on), and the count the server gave. */
  public record NamesList(String channel, List<String> nicks, int count) implements Fact {}

  /** A DCC SEND offer Zeek logged: file name, size (or -1) and the MIME type it sniffed (or null). */
  public record Dcc(String file, long size, String mime, String target) implements Fact {}

  /**
   * What the server says of its users (LUSERS: 251 the network's visible and invisible users and its
   * servers; 255 this server's clients; 266 the network's), -1 where it did not say. Zeek passes 251's
   * visible users and servers on, not the invisible; the network's total then gives them.
   */
  public record UserCounts(long visible, long invisible, long local, long global, long servers) implements Fact {}

  /** The server's name from its welcome. */
  public record ServerName(String name) implements Fact {}

  private static final String KEY = "with channel key: '";

  /** The key of Zeek's {@code " with channel key: 'k'"} (linear: no regular expression on a log's value). */
  static String channelKey(String addl) {
    int i = addl.indexOf(KEY);
    int from = i + KEY.length();
    return i >= 0 && addl.length() > from && addl.endsWith("'") ? addl.substring(from, addl.length() - 1) : null;
  }
  private static final Pattern SERVERS = Pattern.compile("servers (\\d{1,9})$");

  /** Whether a target is a channel name (RFC 2812's #, &amp;, + and ! channels). */
  public static boolean channel(String target) {
    return target != null && !target.isEmpty() && target.length() <= 200 && "#&+!".indexOf(target.charAt(0)) >= 0;
  }

  /** The nick of a prefix {@code nick!user@host}, or the prefix itself; null for null. */
  public static String nickOf(String prefix) {
    if (prefix == null) {
      return null;
    }
    int bang = prefix.indexOf('!');
    return bang < 0 ? prefix : prefix.substring(0, bang);
  }

  /**
   * The record last parsed on this thread: every IRC detector asks for the facts of the same event in
   * turn, and the parse (regular expressions over an ftp event's lines) is done once.
   */
  private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

  /** The facts of a record, or null when it is not an IRC record. */
  public static Record of(Event e) {
    if (!(e instanceof IrcEvent || e instanceof IrcCmdEvent || e instanceof EveFtp)) {
      return null;
    }
    Object[] last = LAST.get();
    if (last[0] == e) {
      return (Record) last[1];
    }
    Record r = e instanceof IrcEvent i ? irc(i) : e instanceof IrcCmdEvent c ? ircCmd(c) : ftp((EveFtp) e);
    last[0] = e;
    last[1] = r;
    return r;
  }

  private static Record irc(IrcEvent e) {
    List<Fact> out = new ArrayList<>();
    out.add(new ClientCommand(e.command()));
    if (e.nick() != null && !e.nick().isEmpty()) {
      out.add(new Nick(e.nick()));
    }
    switch (e.command()) {
      case "NICK":
        if (e.value() != null && !e.value().isEmpty()) {
          out.add(new Nick(e.value()));
        }
        break;
      case "USER":
        out.add(user(e.value(), e.addl()));
        break;
      case "JOIN":
        if (channel(e.value())) {
          String key = null;
          if (e.addl() != null) {
            key = channelKey(e.addl());
          }
          out.add(new Join(e.value(), key));
        }
        break;
      case "PASS":
        out.add(new Pass());
        break;
      case "DCC":
        out.add(new Dcc(e.dccFileName(), e.dccFileSize(), e.dccMimeType(), e.value()));
        break;
      default:
        break;
    }
    return new Record(e.flow(), e.ts(), IRC_LOG, e.uid(), true, out);
  }

  /** USER as Zeek's irc.log gives it: the user name, then "mode unused real name". */
  private static User user(String ident, String addl) {
    String mode = null;
    String realname = null;
    if (addl != null) {
      String[] f = addl.trim().split(" ", 3);
      mode = f[0];
      realname = f.length == 3 ? f[2].trim() : null;
    }
    return new User(ident, mode, realname, addl);
  }

  private static Record ircCmd(IrcCmdEvent e) {
    List<Fact> out = new ArrayList<>();
    String cmd = e.command();
    String t = e.target();
    if (e.isOrig()) {
      out.add(new ClientCommand(cmd));
      switch (cmd) {
        case "PASS":
          out.add(new Pass());
          break;
        case "NICK":
          if (t != null && !t.isEmpty()) {
            out.add(new Nick(t));
          }
          break;
        case "USER":
          if (t != null && e.text() != null) {
            // (the package's first format logged no arguments: then irc.log's row says it all)
            out.add(user(t, e.text()));
          }
          break;
        case "JOIN":
          if (t != null) {
            String[] keys = e.text() == null ? new String[0] : e.text().split(",");
            String[] chans = t.split(",");
            for (int i = 0; i < chans.length; i++) {
              if (channel(chans[i])) {
                // the package sorts the channels, so a key is tied to its channel only when there is one
                out.add(new Join(chans[i], chans.length == 1 && keys.length == 1 ? keys[0] : null));
              }
            }
          }
          break;
        case "PART":
          if (t != null) {
            for (String ch : t.split(",")) {
              if (channel(ch)) {
                out.add(new Part(ch));
              }
            }
          }
          break;
        case "PRIVMSG":
        case "NOTICE":
          out.add(new OwnLine(channel(t) ? t : null, e.words(), e.tag(), e.url()));
          break;
        case "TOPIC":
          if (e.words() != null) {
            out.add(new OwnLine(channel(t) ? t : null, e.words(), null, e.url()));
          }
          break;
        default:
          break;
      }
    } else {
      switch (cmd) {
        case "PRIVMSG":
        case "NOTICE":
          out.add(new Delivered(channel(t) ? t : null, e.prefix(), e.words(), e.url(), false));
          break;
        case "332":
          out.add(new Delivered(channel(t) ? t : null, null, e.words(), e.url(), true));
          break;
        case "TOPIC":
          out.add(new Delivered(channel(t) ? t : null, e.prefix(), e.words(), e.url(), true));
          break;
        case "353":
          if (channel(t) && e.text() != null) {
            List<String> nicks = new ArrayList<>(List.of(e.text().trim().split("\\s+")));
            if (e.num() > nicks.size() && !nicks.isEmpty()) {
              nicks.remove(nicks.size() - 1); // the package cut the list: its last nick may be cut too
            }
            out.add(new NamesList(t, nicks, (int) Math.min(e.num(), 100_000)));
          }
          break;
        case "MODE":
          if (channel(t)) {
            out.add(new ModeRelayed(t, nickOf(e.prefix())));
            modes(out, t, e.text());
          }
          break;
        case "324":
          if (channel(t)) {
            modes(out, t, e.text());
          }
          break;
        case "403": case "404": case "405": case "471": case "473": case "474": case "475": case "476":
        case "477": case "482":
          if (channel(t)) {
            out.add(new ChannelError(t, cmd));
          }
          break;
        case "JOIN":
          // the server relays each join of a channel to its members (and the client's own back to it)
          if (e.prefix() != null && t != null) {
            for (String ch : t.split(",")) {
              if (channel(ch)) {
                out.add(new MemberJoined(nickOf(e.prefix()), ch));
              }
            }
          }
          break;
        case "251":
          if (e.num() >= 0) {
            // the package's text: "users N services N servers N"
            Matcher m = SERVERS.matcher(e.text() == null ? "" : e.text());
            out.add(new UserCounts(e.num(), -1, -1, -1, m.find() ? Long.parseLong(m.group(1)) : -1));
          }
          break;
        case "255":
          if (e.num() >= 0) {
            out.add(new UserCounts(-1, -1, e.num(), -1, -1));
          }
          break;
        case "266":
          if (e.num() >= 0) {
            out.add(new UserCounts(-1, -1, -1, e.num(), -1));
          }
          break;
        default:
          break;
      }
    }
    return new Record(e.flow(), e.ts(), IRC_CMD, e.uid(), true, out);
  }

  /** The mode letters of a MODE's or a 324's parameters (their first word), without keys or nicks. */
  private static void modes(List<Fact> out, String channel, String text) {
    if (text != null && !text.isBlank()) {
      String m = text.trim().split("\\s+")[0];
      if (m.length() <= 32 && (m.startsWith("+") || m.startsWith("-"))) {
        out.add(new ChannelModes(channel, m));
      }
    }
  }

  /**
   * Suricata's ftp events of an IRC session: the server's lines are intact; of the client's lines only a
   * well-formed PRIVMSG or NOTICE is used (Suricata often cuts the first letter of the others). Null when
   * nothing IRC-like is in the event (it may still belong to a session known from earlier events).
   */
  private static Record ftp(EveFtp e) {
    ServerReplies r = ServerReplies.parse(e.reply());
    List<Fact> out = new ArrayList<>();
    if (r.nick() != null) {
      out.add(new Nick(r.nick()));
      if (r.server() != null) {
        out.add(new ServerName(r.server()));
      }
    }
    for (ServerReplies.Join j : r.joins()) {
      if (channel(j.channel())) {
        out.add(new JoinEcho(j.nick(), j.channel()));
      }
    }
    for (ServerReplies.Topic t : r.topics()) {
      BotCommands.Facts f = BotCommands.facts(t.text());
      out.add(new Delivered(channel(t.channel()) ? t.channel() : null, t.from(), f.words(), f.url(), true));
    }
    for (ServerReplies.Names n : r.names()) {
      out.add(new NamesList(n.channel(), n.nicks(), n.nicks().size()));
    }
    if (r.users() != null) {
      out.add(r.users());
    }
    for (ServerReplies.Refusal x : r.errors()) {
      if (channel(x.channel())) {
        out.add(new ChannelError(x.channel(), x.code()));
      }
    }
    for (ServerReplies.Message m : r.messages()) {
      BotCommands.Facts f = BotCommands.facts(m.text());
      out.add(new Delivered(channel(m.target()) ? m.target() : null, m.from(), f.words(), f.url(), false));
    }
    String cmd = e.command() == null ? null : e.command().toUpperCase(Locale.ROOT);
    String data = e.commandData();
    if (("PRIVMSG".equals(cmd) || "NOTICE".equals(cmd)) && data != null) {
      int colon = data.indexOf(" :");
      String target = colon < 0 ? data.trim() : data.substring(0, colon).trim();
      BotCommands.Facts f = BotCommands.facts(colon < 0 ? "" : data.substring(colon + 2));
      out.add(new OwnLine(channel(target) ? target : null, f.words(), f.tag(), f.url()));
    }
    return new Record(e.flow(), e.ts(), FTP, e.flowRef(), false, out);
  }
}
