package org.bottrace.detect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.enrich.PlainList;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.DnsEvent;
import org.bottrace.event.EveDns;
import org.bottrace.event.EveFlow;
import org.bottrace.event.EveHttp;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.HttpEvent;

/**
 * {@code Intel::Listed}: a peer address of any connection, or a name queried in DNS or asked for in
 * HTTP, is on one of the configured lists (any format of {@link PlainList#FORMATS}; read again while running
 * when a file changes, see {@link org.bottrace.enrich.ReloadingList}). A name
 * matches an entry for it or for a parent domain.
 */
public final class IntelListed implements Detector {
  /**
   * The roles a list may have: cc (C&amp;C servers: C&amp;C contact, listing lifetimes), bulletproof
   * (hosters that ignore complaints: the administrator class), download (malware download servers),
   * compromised (hosts known to be infected), blacklist (anything else worth a notice, the default); a
   * role of the user's own is written x-name (a typo of a known role is not taken for a new one).
   */
  public static final java.util.List<String> ROLES = java.util.List.of("cc", "bulletproof", "download", "compromised",
      "blacklist");

  static final String NOTE = "Intel::Listed";
  private static final long HOUR = 3_600_000_000L;

  private final List<org.bottrace.enrich.ReloadingList> lists;
  private final List<String> roles;
  private final DetectorContext ctx;

  IntelListed(List<org.bottrace.enrich.ReloadingList> lists, List<String> roles, DetectorContext ctx) {
    this.lists = lists;
    this.roles = roles;
    this.ctx = ctx;
  }

  @Override
  public void onEvent(Event e) {
    if (lists.isEmpty()) {
      return;
    }
    FlowKey f = e.flow();
    if (f != null && e instanceof org.bottrace.event.EveAlert a && "to_client".equals(a.direction())) {
      f = f.reversed(); // an alert gives the packet's direction: the connection's is the other way
    }
    if (f != null) {
      address(e, f, f.respH(), true);
      address(e, f, f.origH(), false);
    }
    if (e instanceof DnsEvent) {
      DnsEvent d = (DnsEvent) e;
      name(e, d.query(), "DNS query", d.flow());
    } else if (e instanceof EveDns) {
      EveDns d = (EveDns) e;
      name(e, d.rrname(), d.query() ? "DNS query" : "DNS answer", d.flow());
    } else if (e instanceof HttpEvent) {
      name(e, ((HttpEvent) e).host(), "HTTP Host", e.flow());
    } else if (e instanceof EveHttp) {
      name(e, ((EveHttp) e).hostname(), "HTTP Host", e.flow());
    }
  }

  private void address(Event e, FlowKey f, String addr, boolean responder) {
    for (int i = 0; i < lists.size(); i++) {
      PlainList l = lists.get(i).get(); // read again if its file changed
      String entry = l.ips().lookup(addr);
      if (entry == null) {
        continue;
      }
      String other = responder ? f.origH() : f.respH();
      Finding.Builder b = Finding.builder(NOTE, e.ts())
          .msg((responder ? other + " contacted " + addr : addr + " contacted " + other) + ", which is on list "
              + l.name() + " (" + entry + ")")
          .sub(l.name() + ":" + entry)
          .conn(e.ref(), f)
          .src(responder ? other : addr)
          .dst(responder ? addr : other)
          .port(f.respP())
          .key(l.name() + "|" + entry + "|" + other);
      emit(b, e, i, entry, addr, responder ? "to listed host" : "from listed host");
    }
  }

  private void name(Event e, String name, String where, FlowKey f) {
    if (name == null || name.isEmpty()) {
      return;
    }
    for (int i = 0; i < lists.size(); i++) {
      PlainList l = lists.get(i).get(); // read again if its file changed
      String entry = l.domains().matchedEntry(name);
      if (entry == null) {
        continue;
      }
      String client = f == null ? null : f.origH();
      Finding.Builder b = Finding.builder(NOTE, e.ts())
          .msg((client == null ? "" : client + ": ") + where + " " + name + " is on list " + l.name()
              + (entry.equals(name) ? "" : " (" + entry + ")"))
          .sub(l.name() + ":" + entry)
          .conn(e.ref(), f)
          .src(client)
          .dst(f == null ? null : f.respH())
          .port(f == null ? -1 : f.respP())
          .name(name)
          .key(l.name() + "|" + entry + "|" + client);
      emit(b, e, i, entry, name, where);
    }
  }

  /** The evidence every Intel::Listed finding has, then out. */
  private void emit(Finding.Builder b, Event e, int list, String entry, String matched, String direction) {
    boolean cc = "cc".equals(roles.get(list));
    b.rated(cc ? Finding.Severity.HIGH : Finding.Severity.MEDIUM, 0.8); // as good as the list
    Finding peek = b.build();
    if (peek.dst() != null) {
      b.server(peek.dst(), Finding.Role.LISTED);
    }
    if (cc && !"from listed host".equals(direction)) {
      b.stage(Finding.Stage.CC_CONTACT); // the internal host contacted the C&C (not the C&C calling in)
    }
    b.window(Math.floorDiv(e.ts(), HOUR) * HOUR)
        .fact(entry)
        .evidence("list", lists.get(list).name())
        .evidence("role", roles.get(list))
        .evidence("indicator", entry)
        .evidence("matched", matched)
        .evidence("direction", direction)
        .evidence("seen_in", e.type());
    if (e instanceof ConnEvent && ((ConnEvent) e).communityIdField() != null) {
      b.uid(((ConnEvent) e).communityIdField());
    } else if (e instanceof EveFlow && ((EveFlow) e).communityIdField() != null) {
      b.uid(((EveFlow) e).communityIdField());
    }
    ctx.emit(b.build());
  }

  /** Configured lists (read again when their files change) and the role of each. */
  public record Lists(List<org.bottrace.enrich.ReloadingList> sources, List<String> roles) {
    /** The lists as they are now. */
    public List<PlainList> lists() {
      List<PlainList> out = new ArrayList<>(sources.size());
      for (org.bottrace.enrich.ReloadingList r : sources) {
        out.add(r.get());
      }
      return out;
    }
  }

  /** The key under which the pipeline shares the lists declared at the top of the configuration. */
  public static final String DECLARED = "lists.declared";

  /**
   * The lists a section uses: its {@code lists} key defines them (each with a name, a path, a format and
   * a role) or names lists declared once at the top of the configuration ({@code lists: [botcc, drop]});
   * without the key, every declared list.
   *
   * @throws ConfigException naming the list's key when one is wrong, unreadable or not declared
   */
  public static Lists lists(ConfigNode c, DetectorContext context) throws ConfigException {
    Lists declared;
    try {
      declared = context == null ? new Lists(List.of(), List.of())
          : context.shared(DECLARED, () -> new Lists(List.of(), List.of()));
    } catch (IOException cannot) {
      throw new IllegalStateException(cannot); // the maker does no I/O
    }
    if (!c.has("lists")) {
      return declared;
    }
    if (c.isListOfValues("lists")) {
      List<String> wanted = c.strings("lists", List.of());
      List<org.bottrace.enrich.ReloadingList> lists = new ArrayList<>();
      List<String> roles = new ArrayList<>();
      for (int i = 0; i < wanted.size(); i++) {
        int at = -1;
        for (int j = 0; j < declared.sources().size(); j++) {
          if (declared.sources().get(j).name().equals(wanted.get(i))) {
            at = j;
          }
        }
        if (at < 0) {
          List<String> known = declared.sources().stream().map(org.bottrace.enrich.ReloadingList::name).toList();
          throw c.error("lists[" + i + "]", "no list named '" + wanted.get(i) + "' is declared in the top-level lists"
              + " (declared: " + known + ")");
        }
        lists.add(declared.sources().get(at));
        roles.add(declared.roles().get(at));
      }
      return new Lists(List.copyOf(lists), List.copyOf(roles));
    }
    return define(c, context);
  }

  /** Loads list definitions: the {@code lists} sections of {@code c}. */
  public static Lists define(ConfigNode c, DetectorContext context) throws ConfigException {
    List<org.bottrace.enrich.ReloadingList> lists = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode l : c.children("lists")) {
      String name = l.string("name", null);
      if (name == null || name.isBlank()) {
        throw l.error("name", "every list needs a name");
      }
      if (!names.add(name)) {
        throw l.error("name", "a list named '" + name + "' is configured already");
      }
      Path p = l.path("path");
      if (p == null) {
        throw l.error("path", "every list needs the path of its file");
      }
      String format = l.string("format", "plain");
      if (!PlainList.FORMATS.contains(format)) {
        throw l.error("format", "expected one of " + PlainList.FORMATS + ", found '" + format + "'");
      }
      String role = l.string("role", "blacklist");
      if (!ROLES.contains(role) && !role.matches("x-[a-z0-9_-]{1,40}")) {
        throw l.error("role", "expected one of " + ROLES + " or a role of your own as x-name, found '" + role + "'");
      }
      l.finish();
      org.bottrace.enrich.ReloadingList rl;
      try {
        // a list named alike (name, file, format) in several sections is read once
        rl = context.shared("list|" + name + "|" + p.toAbsolutePath() + "|" + format, () -> {
          org.bottrace.enrich.ReloadingList loaded = new org.bottrace.enrich.ReloadingList(name, p, format,
              5_000_000_000L, System::nanoTime, context::warn);
          PlainList pl = loaded.get();
          if (pl.skippedCount() > 0) {
            context.warn("list " + name + " (" + p + "): skipped " + pl.skippedCount()
                + " line(s) that are neither an address, a network nor a name; first: " + pl.skipped().get(0));
          }
          if (pl.size() == 0) {
            context.warn("list " + name + " (" + p + "): no entries");
          }
          return loaded;
        });
      } catch (java.nio.file.NoSuchFileException ex) {
        throw l.error("path", "no such file: " + p);
      } catch (java.nio.charset.CharacterCodingException ex) {
        throw l.error("path", p + " is not UTF-8 text");
      } catch (IOException ex) {
        throw l.error("path", "cannot read " + p + ": " + org.bottrace.source.IoCause.of(ex));
      }
      lists.add(rl);
      roles.add(role);
    }
    return new Lists(List.copyOf(lists), List.copyOf(roles));
  }

  /** Registers {@code Intel::Listed}. */
  public static final class Factory implements DetectorFactory {
    @Override
    public String name() {
      return NOTE;
    }

    @Override
    public String summary() {
      return "a peer address or a queried name is on a configured list";
    }

    @Override
    public Detector create(ConfigNode c, DetectorContext context) throws ConfigException {
      Lists l = lists(c, context);
      return new IntelListed(l.sources(), l.roles(), context);
    }
  }
}
