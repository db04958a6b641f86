package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What bottrace has seen of one IRC server (address and port): its client sessions with their lines,
 * joins and packets. Kept in a checkpointed cache, so its fields are plain and concrete.
 */
final class IrcServer {
  String ip;
  int port;
  long first;
  long last;
  /** Log time of the last evaluation, or {@link Long#MIN_VALUE}. */
  long lastEval = Long.MIN_VALUE;
  boolean dirty;
  /** Sessions by community id. */
  LinkedHashMap<String, Client> clients = new LinkedHashMap<>();
  TreeSet<String> sources = new TreeSet<>();

  IrcServer() {}

  IrcServer(String ip, int port, long ts) {
    this.ip = ip;
    this.port = port;
    this.first = ts;
    this.last = ts;
  }

  /** A channel line: its time, channel (null when the source does not say) and the nick that sent it. */
  record Line(long ts, String channel, String from) {}

  /** One client session (one TCP connection). */
  static final class Client {
    String host;
    int port;
    String zeekUid;
    TreeSet<String> uids = new TreeSet<>();
    long first;
    long last;
    /** Connection duration from conn.log or an EVE flow (microseconds), or -1. */
    long duration = -1;
    LinkedHashSet<String> nicks = new LinkedHashSet<>();
    String ident;
    String userMode;
    String realname;
    /** The USER line's arguments after the user name, as Zeek's irc.log gives them. */
    String userArgs;
    /** Channel to the time of its first join. */
    LinkedHashMap<String, Long> joins = new LinkedHashMap<>();
    LinkedHashMap<String, String> keys = new LinkedHashMap<>();
    LinkedHashMap<String, Long> parts = new LinkedHashMap<>();
    /** Channels on which this client sent MODE (operator rights: it set a mode or a key). */
    TreeSet<String> modeChannels = new TreeSet<>();
    Boolean pass;
    boolean cmdLog;
    boolean pktLog;
    /** Its own channel lines from irc_cmd.log. */
    ArrayList<Line> lines = new ArrayList<>();
    /** Times of its PRIVMSG packets from Suricata alerts (no channel), used when irc_cmd.log is absent. */
    ArrayList<Long> eveLines = new ArrayList<>();
    /** Channel lines of other members delivered to it (irc_cmd.log, server side). */
    ArrayList<Line> delivered = new ArrayList<>();
    // Sn/Tn of its packets to the server (irc_pkt.log)
    long pkts;
    double lenSum;
    double lenSq;
    TreeMap<Long, Integer> sizes = new TreeMap<>();
    long gaps;
    double gapSum;
    double gapSq;
    long pktFirst = Long.MIN_VALUE;
    long pktLast = Long.MIN_VALUE;
    ArrayList<String> dcc = new ArrayList<>();
    /** "sid|signature|category|severity" to count. */
    TreeMap<String, Integer> alerts = new TreeMap<>();
    String service;

    Client() {}

    Client(String host, int port, long ts) {
      this.host = host;
      this.port = port;
      this.first = ts;
      this.last = ts;
    }

    String nick() {
      return nicks.isEmpty() ? null : nicks.iterator().next();
    }

    boolean in(String channel) {
      return joins.containsKey(channel);
    }
  }
}
