package org.bottrace.detect.stage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.Detector;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.Addresses;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.EveFileinfo;
import org.bottrace.event.EveHttp;
import org.bottrace.event.EveTftp;
import org.bottrace.event.Event;
import org.bottrace.event.FileEvent;
import org.bottrace.event.FlowKey;
import org.bottrace.event.HttpEvent;
import org.bottrace.event.PeEvent;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * {@code Bot::Download}: document 000's infection stage in which the host fetches the bot body over TFTP
 * or HTTP, and its hypothesis B (the protocol changes after the C&amp;C session: IRC, then a download).
 * A program downloaded (Zeek: a PE file in files.log/pe.log or an application/x-dosexec response, or an
 * executable name; Suricata: fileinfo with PE magic or an executable name, http with a program content
 * type; TFTP: any transfer) is reported when it comes with IRC context (the host had an IRC session
 * within {@code irc_window} before it: strong) or with two weak signs (a bare IP address as the HTTP
 * host, a port HTTP does not use, TFTP). A software update from a vendor's named host has neither.
 *
 * <p>Zeek's http/files/pe rows and Suricata's http/fileinfo/tftp events of one connection are joined by
 * community id (Zeek files.log by its uid's connection, pe.log by file id), so one download seen by both
 * sensors is one notice; it is reported once its connection's records have been quiet for {@code
 * settle}.
 */
public final class BotDownload implements Detector {
  static final String NOTE = "Bot::Download";
  private static final int MAX_ITEMS = 16;

  /** One connection's download evidence; fields concrete for checkpoints. */
  static final class Dl {
    String client;
    int clientPort;
    String server;
    int port;
    long first;
    long last;
    String host;
    String uri;
    String filename;
    String mime;
    String magic;
    String userAgent;
    long size = -1;
    boolean pe;
    boolean tftp;
    String tftpFile;
    String zeekUid;
    TreeSet<String> uids = new TreeSet<>();
    TreeSet<String> sources = new TreeSet<>();
    /** IRC context when the download began: the client's IRC server, and how long after a channel line. */
    String ircServer;
    long commandGap = -1;
    /** The C&C command that most likely ordered it, or null. */
    org.bottrace.detect.irc.IrcHosts.Order order;

    Dl() {}
  }

  private final DetectorContext ctx;
  private final Cache<String, Dl> downloads;
  private final Cache<String, String> fileConn;
  private final org.bottrace.detect.irc.IrcHosts irc;
  private final long ircWindow;
  private final long commandWindow;
  /** The extensions of executables (lower case, without the dot). */
  private final java.util.Set<String> executable;
  private final int longestExtension;
  private final org.bottrace.config.PortSet httpPorts;

  BotDownload(DetectorContext ctx, ConfigNode c) throws ConfigException {
    this.ctx = ctx;
    Duration settle = c.positiveDuration("settle", Duration.ofSeconds(30));
    Duration window = c.positiveDuration("irc_window", Duration.ofMinutes(10));
    Duration command = c.positiveDuration("command_window", Duration.ofSeconds(30));
    this.ircWindow = window.toNanos() / 1000;
    this.commandWindow = command.toNanos() / 1000;
    java.util.Set<String> ext = new java.util.HashSet<>();
    for (String x : c.strings("executable_extensions",
        List.of("exe", "dll", "scr", "com", "pif", "bat", "cmd", "vbs", "msi", "ps1", "jar", "elf", "bin", "sh"))) {
      ext.add(x.replace(".", "").toLowerCase(Locale.ROOT));
    }
    this.executable = java.util.Set.copyOf(ext);
    this.longestExtension = ext.stream().mapToInt(String::length).max().orElse(0);
    this.httpPorts = c.ports("http_ports", List.of("80", "8080", "443", "8000", "8008", "8443"));
    long max = c.integer("max_entries", 0, 0, 100_000_000);
    long settleMicros = settle.toNanos() / 1000;
    this.downloads = ctx.deadlineCache("download.pending", max, d -> d.last + settleMicros, (k, d, cause) -> {
      if (d != null && cause != RemovalCause.REPLACED) {
        report(d);
      }
    }, StateStore.Codec.of(new TypeReference<String>() {}, new TypeReference<Dl>() {}));
    this.fileConn = ctx.cache("download.file_conn", max, Duration.ofMinutes(10), null,
        StateStore.Codec.of(String.class, String.class));
    // a host's IRC kept a day past its last record, and its orders long enough for a download that
    // lasts an hour to be reported with the order that began it
    this.irc = new org.bottrace.detect.irc.IrcHosts(ctx, "download.irc_hosts", max,
        Duration.ofHours(24).plus(window).plus(command).plus(Duration.ofHours(1)));
  }

  @Override
  public void onEvent(Event e) {
    irc.onEvent(e);
    if (e instanceof HttpEvent) {
      HttpEvent h = (HttpEvent) e;
      boolean exe = h.respMimeTypes().stream().anyMatch(BotDownload::programMime) || name(h.uri());
      Dl d = exe ? dl(h.flow(), h.ts(), h.uid(), "zeek http.log") : known(h.flow(), h.ts());
      if (d != null) {
        d.host = h.host();
        d.uri = h.uri();
        d.userAgent = h.userAgent();
        d.size = Math.max(d.size, h.responseBodyLen());
        for (String m : h.respMimeTypes()) {
          d.mime = programMime(m) || d.mime == null ? m : d.mime;
        }
        for (String f : h.respFuids()) {
          fileConn.put(f, key(h.flow()));
        }
      }
    } else if (e instanceof FileEvent) {
      FileEvent f = (FileEvent) e;
      boolean exe = programMime(f.mimeType()) || name(f.filename());
      Dl d = f.flow() == null ? null : exe ? dl(f.flow(), f.ts(), f.uid(), "zeek files.log") : known(f.flow(), f.ts());
      if (d != null) {
        d.mime = f.mimeType() != null ? f.mimeType() : d.mime;
        d.filename = f.filename() != null ? f.filename() : d.filename;
        d.pe |= programMime(f.mimeType());
        d.size = Math.max(d.size, f.seenBytes());
        fileConn.put(f.fuid(), key(f.flow()));
      }
    } else if (e instanceof PeEvent) {
      PeEvent p = (PeEvent) e;
      String k = fileConn.getIfPresent(p.fuid());
      Dl d = k == null ? null : downloads.getIfPresent(k);
      if (d != null) {
        d.pe = true;
        d.sources.add("zeek pe.log");
        d.last = Math.max(d.last, p.ts());
        downloads.put(k, d);
      }
    } else if (e instanceof EveHttp) {
      EveHttp h = (EveHttp) e;
      FlowKey f = clientFirst(h.flow());
      boolean exe = programMime(h.contentType()) || name(h.url());
      Dl d = exe ? dl(f, h.ts(), h.flowRef(), "suricata http") : known(f, h.ts());
      if (d != null) {
        d.host = h.hostname() != null ? h.hostname() : d.host;
        d.uri = h.url() != null ? h.url() : d.uri;
        d.userAgent = h.userAgent() != null ? h.userAgent() : d.userAgent;
        d.size = Math.max(d.size, h.length());
      }
    } else if (e instanceof EveFileinfo) {
      EveFileinfo i = (EveFileinfo) e;
      FlowKey f = clientFirst(i.flow());
      boolean peMagic = i.magic() != null && (i.magic().contains("PE32") || i.magic().contains("MS-DOS executable")
          || i.magic().startsWith("ELF"));
      boolean exe = peMagic || name(i.filename()) || programMime(i.httpContentType());
      Dl d = exe ? dl(f, i.ts(), i.flowRef(), "suricata fileinfo") : known(f, i.ts());
      if (d != null) {
        d.filename = i.filename() != null ? i.filename() : d.filename;
        d.magic = i.magic() != null ? i.magic() : d.magic;
        d.pe |= peMagic;
        d.host = d.host == null ? i.httpHostname() : d.host;
        d.size = Math.max(d.size, i.size());
      }
    } else if (e instanceof EveTftp) {
      EveTftp t = (EveTftp) e;
      Dl d = dl(clientFirst(t.flow()), t.ts(), t.flowRef(), "suricata tftp");
      if (d != null) {
        d.tftp = true;
        d.tftpFile = t.file();
      }
    } else if (e instanceof ConnEvent) {
      ConnEvent c = (ConnEvent) e;
      if ("udp".equals(c.flow().proto()) && c.flow().respP() == 69 && c.respBytes() > 0) {
        Dl d = dl(c.flow(), c.ts(), c.uid(), "zeek conn.log");
        if (d != null) {
          d.tftp = true;
        }
      }
    }
  }

  /**
   * The URL of an HTTP download as Zeek's HTTP::build_url writes it, with the scheme: the Host header (or
   * the server's address), the port when not 80 and the Host does not say it, the request URI; null for
   * TFTP or without a URI.
   */
  static String url(Dl d) {
    if (d.tftp || d.uri == null) {
      return null;
    }
    if (d.uri.contains("://")) {
      return d.uri; // a proxy request
    }
    String host = d.host != null && !d.host.isEmpty() ? d.host : d.server.indexOf(':') >= 0 ? "[" + d.server + "]"
        : d.server;
    boolean hasPort = host.matches(".*:[0-9]{1,5}");
    return "http://" + host + (d.port == 80 || hasPort ? "" : ":" + d.port) + d.uri;
  }

  /** A flow turned client first: Suricata's file events go from the server (the lower port) to the client. */
  private static FlowKey clientFirst(FlowKey f) {
    return f.origP() < f.respP() && f.origP() < 1024 ? f.reversed() : f;
  }

  static boolean programMime(String m) {
    return m != null && (m.contains("dosexec") || m.contains("msdos-program") || m.contains("x-msdownload")
        || m.contains("x-executable") || m.contains("x-elf"));
  }

  private boolean name(String s) {
    return executableName(s, executable, longestExtension);
  }

  private static boolean ascii(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) > 127) {
        return false; // no Kelvin sign folded into a k
      }
    }
    return true;
  }

  /**
   * A file name or URL ending in one of {@code extensions} (lower case, no dot), before any query or
   * fragment ("x.exe?id=1", "SETUP.EXE#top"); the extensions are taken as written, not as patterns.
   */
  static boolean executableName(String s, java.util.Set<String> extensions, int longest) {
    if (s == null || s.length() >= 2048) {
      return false;
    }
    for (int dot = s.indexOf('.'); dot >= 0; dot = s.indexOf('.', dot + 1)) {
      int end = dot + 1;
      while (end < s.length() && s.charAt(end) != '?' && s.charAt(end) != '#') {
        end++;
      }
      if (end - dot - 1 <= longest && ascii(s, dot + 1, end)
          && extensions.contains(s.substring(dot + 1, end).toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static String key(FlowKey f) {
    String c = f.communityId();
    return c == null ? f.toString() : c;
  }

  private Dl known(FlowKey f, long ts) {
    Dl d = downloads.getIfPresent(key(f));
    if (d != null) {
      d.last = Math.max(d.last, ts);
      downloads.put(key(f), d);
    }
    return d;
  }

  private Dl dl(FlowKey f, long ts, String uid, String source) {
    String k = key(f);
    Dl d = downloads.getIfPresent(k);
    if (d == null) {
      d = new Dl();
      d.client = f.origH();
      d.clientPort = f.origP();
      d.server = f.respH();
      d.port = f.respP();
      d.first = ts;
      d.last = ts;
      context(d);
    }
    d.first = Math.min(d.first, ts);
    d.last = Math.max(d.last, ts);
    if (uid != null && d.uids.size() < MAX_ITEMS) {
      d.uids.add(uid);
      if (d.zeekUid == null && source.startsWith("zeek")) {
        d.zeekUid = uid;
      }
    }
    d.sources.add(source);
    downloads.put(k, d);
    return d;
  }

  /**
   * The IRC context of a download, taken when it begins: the IRC records up to then have been read (the
   * merge goes by time), later ones must not count.
   */
  private void context(Dl d) {
    org.bottrace.detect.irc.IrcHosts.Before b = irc.before(d.client, d.first, ircWindow, commandWindow);
    if (b != null) {
      d.ircServer = b.server();
      d.commandGap = b.lineGap();
    }
  }

  /** Whether an order's URL names what was downloaded (its path; the bot may have resolved the host). */
  private static boolean names(String url, Dl d) {
    String path = url.replaceFirst("(?i)^[a-z]+://[^/]*", "");
    return d.uri != null && !path.isEmpty() && d.uri.equals(path)
        || d.filename != null && path.endsWith("/" + d.filename) || d.tftpFile != null && path.endsWith(d.tftpFile);
  }

  @Override
  public void onEnd() {
    downloads.invalidateAll();
  }

  private void report(Dl d) {
    boolean exe = d.pe || programMime(d.mime) || name(d.filename) || name(d.uri)
        || d.magic != null && (d.magic.contains("PE32") || d.magic.contains("MS-DOS"));
    if (!exe && !d.tftp) {
      return;
    }
    List<String> signs = new ArrayList<>();
    boolean ircContext = d.ircServer != null;
    // the order it followed: the latest C&C command before it began, one naming what it fetched first
    // (known now that its URL is; orders after it began are not looked at)
    d.order = ircContext ? irc.order(d.client, d.first, commandWindow, o -> o.url() != null && names(o.url(), d))
        : null;
    Long command = d.commandGap < 0 ? null : d.commandGap;
    if (ircContext) {
      signs.add("irc_session");
    }
    if (d.order != null) {
      signs.add("ordered");
    }
    boolean bareIp = d.host != null && Addresses.isAddress(d.host.replaceFirst(":\\d+$", ""));
    if (bareIp) {
      signs.add("bare_ip_host");
    }
    if (!d.tftp && !httpPorts.contains(d.port)) {
      signs.add("odd_port");
    }
    if (d.tftp) {
      signs.add("tftp");
    }
    if (!ircContext && signs.size() < 2) {
      return; // a program from a named host on a web port, with no IRC around it: an update, most likely
    }
    String what = d.tftp ? "TFTP transfer" + (d.tftpFile == null ? "" : " of " + d.tftpFile)
        : "program " + (d.host == null ? d.server : d.host) + (d.uri == null ? "" : d.uri);
    StringBuilder msg = new StringBuilder(d.client).append(" downloaded ").append(what)
        .append(" from ").append(d.server).append(':').append(d.port);
    if (ircContext) {
      msg.append(String.format(Locale.ROOT, ", during its IRC session with %s", d.ircServer));
      if (d.order != null) {
        msg.append(String.format(Locale.ROOT, ", %.1f s after %s", (d.first - d.order.ts()) / 1e6,
            d.order.describe()));
      } else if (command != null) {
        msg.append(String.format(Locale.ROOT, " (%.1f s after a channel line)", command / 1e6));
      }
    }
    Finding.Builder f = Finding.builder(NOTE, d.first)
        .rated(signs.contains("ordered") || Boolean.TRUE.equals(d.pe) ? Finding.Severity.HIGH : Finding.Severity.MEDIUM,
            Finding.agreeing(signs.size()))
        .msg(msg.toString())
        .sub(d.uri != null ? d.uri : d.filename != null ? d.filename : d.tftpFile)
        .conn(d.zeekUid != null ? d.zeekUid : d.uids.isEmpty() ? null : d.uids.first(), new FlowKey(d.client, d.clientPort, d.server, d.port,
            d.tftp ? "udp" : "tcp"))
        .uids(d.uids)
        .src(d.client)
        .dst(d.server)
        .server(d.server, Finding.Role.DOWNLOAD)
        .stage(Finding.Stage.DOWNLOAD)
        .port(d.port)
        .name(d.host != null && !bareIp ? d.host : null)
        .url(url(d))
        .key(d.client + "|" + d.server + "|" + d.port + "|" + (d.uri != null ? d.uri : String.valueOf(d.filename)))
        .window(d.first / 1_000_000L * 1_000_000L)
        .evidence("client", d.client)
        .evidence("client_internal", ctx.home().contains(d.client))
        .evidence("server", d.server)
        .evidence("server_port", d.port)
        .evidence("host", d.host)
        .evidence("uri", d.uri)
        .evidence("filename", d.filename)
        .evidence("mime_type", d.mime)
        .evidence("magic", d.magic)
        .evidence("pe", d.pe ? Boolean.TRUE : null)
        .evidence("size", d.size < 0 ? null : d.size)
        .evidence("user_agent", d.userAgent)
        .evidence("download_signs", signs)
        .evidence("irc_server", d.ircServer)
        .evidence("seconds_after_channel_line", command == null ? null : Math.round(command / 1e3) / 1e3)
        .evidence("ordered_by", d.order == null ? null : d.order.evidence(d.first))
        .firstSeen(d.first)
        .evidence("sources", List.copyOf(d.sources))
        .facts(signs);
    ctx.emit(f.build());
  }

  /** Registers {@code Bot::Download}. */
  public static final class Factory extends org.bottrace.detect.NamedFactory {
    public Factory() {
      super(NOTE, "a program fetched over HTTP or TFTP with IRC context or two weak signs (the download stage of Detecting IRC botnets)",
          (c, context) -> new BotDownload(context, c));
    }
  }
}
