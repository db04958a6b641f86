package org.bottrace.detect.irc;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What C&amp;C commands and bot reports look like, from the public descriptions of the IRC bot families
 * (document 000's control-command method). A command is a line or topic that starts with a command
 * character and a word of a family's command set:
 *
 * <ul>
 *   <li>rBot, SDBot, SpyBot ({@code .} or {@code !}): download, update, advscan, scan, ddos, syn(flood),
 *       udp(flood), tcpflood, httpflood, sysinfo, netinfo, login, visit, execute, open, remove,
 *       killthread, socks4, redirect, httpd, tftpserver, cdkeys, pstore, keylog, capture, clone, spy;
 *   <li>Agobot/Phatbot ({@code .}): dotted names such as {@code ddos.syn}, {@code http.download},
 *       {@code scan.start}, {@code bot.sysinfo}, {@code harvest.cdkeys};
 *   <li>Kaiten/Tsunami ({@code !* } or {@code !nick } before an upper-case word): TSUNAMI, PAN, UDP,
 *       UNKNOWN, SPOOFS, GETSPOOFS, KILLALL, GET, SH, RANDOMFLOOD, NSSYNFLOOD, HTTPFLOOD;
 *   <li>ShellBot (Perl, {@code @} after an optional {@code !nick}): @udpflood, @tcpflood, @httpflood,
 *       @portscan, @nmap, @download, @system, @multiscan, @back, @conback, @sendmail, @pacotes.
 * </ul>
 *
 * A command is strong when its arguments are what an order carries: a URL of a program, a target
 * address, a scan module with thread counts. Channel service bots (Eggdrop, Limnoria: {@code !seen},
 * {@code !google}, {@code !op}, {@code !help}) use none of these words. A report is a bot's answer that
 * starts with a tag of those families ({@code [MAIN]}, {@code [SCAN]:}, {@code -[DOWNLOAD]-}).
 */
final class BotCommands {
  private BotCommands() {}

  /** A command found in a line: its word, whether its arguments make it an order, and the family. */
  record Command(String word, boolean strong, String family) {}

  private static final Set<String> RBOT = Set.of("download", "dl", "update", "upd", "advscan", "asc", "scan",
      "scanall", "scanstats", "scandel", "ddos", "syn", "synflood", "udp", "udpflood", "tcpflood", "httpflood",
      "pingflood", "icmpflood", "sysinfo", "netinfo", "login", "visit", "execute", "exec", "open", "remove",
      "killthread", "killthreads", "socks4", "redirect", "httpd", "tftpserver", "ftpserver", "cdkeys", "getcdkeys",
      "pstore", "keylog", "capture", "clone", "spy", "uninstall", "rndnick", "mirccmd", "opencmd", "cmd",
      "secure", "unsecure", "spread", "sniff", "get");
  /** Words no channel service bot uses: an order whatever its arguments. */
  private static final Set<String> DISTINCT = Set.of("advscan", "asc", "scanall", "synflood", "udpflood", "tcpflood",
      "httpflood", "pingflood", "icmpflood", "ddos", "killthreads", "socks4", "tftpserver", "getcdkeys", "cdkeys",
      "pstore", "keylog", "mirccmd", "opencmd", "rndnick");
  private static final Set<String> AGOBOT = Set.of("ddos", "http", "scan", "bot", "harvest", "cvar", "inst",
      "pctrl", "irc", "login", "ftp", "redirect", "spam", "sniffer", "mirc", "plugin");
  private static final Set<String> KAITEN = Set.of("TSUNAMI", "PAN", "UDP", "UNKNOWN", "SPOOFS", "GETSPOOFS",
      "KILLALL", "GET", "SH", "RANDOMFLOOD", "NSSYNFLOOD", "NSACKFLOOD", "HTTPFLOOD", "STD", "HOLD", "JUNK",
      "SCAN", "UPDATE", "DISABLE", "ENABLE");
  private static final Set<String> SHELLBOT = Set.of("udpflood", "tcpflood", "httpflood", "sqlflood", "portscan",
      "nmap", "download", "system", "multiscan", "back", "conback", "sendmail", "pacotes", "fetch");
  private static final Set<String> REPORTS = Set.of("main", "scan", "download", "ddos", "sysinfo", "netinfo",
      "update", "exec", "execute", "tftp", "ftp", "httpd", "socks4", "pstore", "cdkeys", "irc", "threads", "login",
      "spy", "keylog", "clones", "syn", "udp", "ping", "redirect", "capture", "process", "file", "shell", "visit",
      "speedtest", "sniffer", "lsass", "dcom", "mssql", "netbios", "http", "upd", "dl", "bot");

  private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|ftp|tftp)://\\S+");
  private static final Pattern PROGRAM = Pattern.compile("(?i)\\.(exe|scr|com|pif|bat|cmd|dll|vbs|sh|pl|bin|elf)\\b");
  private static final Pattern ADDRESS = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b|\\b\\d{1,3}\\.\\d{1,3}\\.x\\.x\\b");
  private static final Pattern NUMBERS = Pattern.compile("\\b\\d+\\b");
  private static final Pattern FORMATTING = Pattern.compile("\\x03\\d{0,2}(?:,\\d{1,2})?|[\\x02\\x0f\\x16\\x1d\\x1f]");
  private static final Pattern TAG = Pattern.compile("^[-=]?[\\[<{(]([A-Za-z][A-Za-z0-9_. -]{0,15})[\\]>})][-=]?:?");

  /**
   * The command a line starts with, or null. {@code words} are its first words (as the Zeek package logs
   * them, or the start of the text), {@code url} its first URL or null.
   */
  static Command command(String words, String url) {
    if (words == null || words.length() < 2) {
      return null;
    }
    String[] w = words.trim().split("\\s+");
    char c = w[0].charAt(0);
    if (".!@$".indexOf(c) < 0) {
      return null;
    }
    String rest = words.substring(Math.min(words.length(), w[0].length())).trim();
    String first = w[0].substring(1);
    // Kaiten: "!* CMD" or "!nick CMD"; ShellBot: "!nick @cmd"
    if (c == '!' && w.length > 1 && (first.equals("*") || isNick(first))) {
      if (KAITEN.contains(w[1])) {
        return new Command(w[0] + " " + w[1], true, "kaiten");
      }
      if (w[1].startsWith("@") && SHELLBOT.contains(lower(w[1].substring(1)))) {
        return new Command(w[1], true, "shellbot");
      }
    }
    if (c == '@' && SHELLBOT.contains(lower(first))) {
      return new Command(w[0], true, "shellbot");
    }
    String word = lower(first);
    int dot = word.indexOf('.');
    if (c == '.' && dot > 0 && AGOBOT.contains(word.substring(0, dot)) && dot < word.length() - 1) {
      return new Command(w[0], true, "agobot");
    }
    if (!RBOT.contains(word)) {
      return null;
    }
    String args = rest + (url == null ? "" : " " + url);
    boolean program = url != null && PROGRAM.matcher(url).find() || URL.matcher(args).find()
        && PROGRAM.matcher(args).find();
    boolean target = ADDRESS.matcher(args).find() || NUMBERS.matcher(rest).results().count() >= 2;
    return new Command(w[0], program || target || DISTINCT.contains(word) && !rest.isEmpty(), "rbot");
  }

  /** Whether a word (without its command character) is in one of the families' command sets. */
  static boolean knownWord(String word) {
    String w = lower(word);
    return RBOT.contains(w) || SHELLBOT.contains(w) || KAITEN.contains(word.toUpperCase(Locale.ROOT))
        || AGOBOT.contains(w);
  }

  /** Whether a tag word ({@code SCAN}) is a report tag of the families. */
  static boolean knownReport(String word) {
    return REPORTS.contains(lower(word));
  }

  /** A bot family's report tag at the start of a line ({@code [SCAN]:}), or null. */
  static String report(String tag) {
    if (tag == null) {
      return null;
    }
    Matcher m = TAG.matcher(tag.trim());
    if (!m.find()) {
      return null;
    }
    String word = lower(m.group(1).trim());
    return REPORTS.contains(word) ? "[" + m.group(1).trim().toUpperCase(Locale.ROOT) + "]" : null;
  }

  /** The facts of a raw message (an EVE line): its first words when it starts with a command character, its tag, its URL. */
  record Facts(String words, String tag, String url) {}

  static Facts facts(String text) {
    if (text == null) {
      return new Facts(null, null, null);
    }
    String m = FORMATTING.matcher(text).replaceAll("").strip();
    if (m.startsWith("\u0001ACTION ")) {
      m = m.substring(8);
    }
    Matcher u = URL.matcher(m);
    String url = u.find() ? u.group() : null;
    String words = null;
    if (!m.isEmpty() && ".!@$%?~".indexOf(m.charAt(0)) >= 0) {
      StringBuilder b = new StringBuilder();
      String[] w = m.split(" +", 4);
      for (int i = 0; i < Math.min(3, w.length); i++) {
        if (!URL.matcher(w[i]).find()) {
          b.append(b.length() == 0 ? "" : " ").append(w[i]);
        }
      }
      words = b.length() > 64 ? b.substring(0, 64) : b.toString();
    }
    Matcher t = TAG.matcher(m);
    return new Facts(words, t.find() ? t.group() : null, url);
  }

  private static boolean isNick(String s) {
    return !s.isEmpty() && s.length() <= 30 && s.chars().allMatch(ch -> Character.isLetterOrDigit(ch)
        || "[]\\`_^{|}-".indexOf(ch) >= 0);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
