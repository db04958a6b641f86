package org.bottrace.detect;

import java.util.List;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.DnsEvent;
import org.bottrace.event.EveDns;
import org.bottrace.event.EveFlow;
import org.bottrace.event.EveHttp;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.HttpEvent;
import org.bottrace.finding.Finding;
import org.bottrace.match.PlainList;
import org.bottrace.match.ReloadingList;
import org.bottrace.match.ThreatLists;

/**
 * {@code Intel::Listed}: a peer address of any connection, or a name queried in DNS or asked for in
 * HTTP, is on one of the configured lists (any format of {@link PlainList#FORMATS}; read again while running
 * when a file changes, see {@link ReloadingList}). A name
 * matches an entry for it or for a parent domain.
 */
public final class IntelListed implements Detector {
  static final String NOTE = "Intel::Listed";
  private static final long HOUR = 3_600_000_000L;

  private final List<ReloadingList> lists;
  private final List<String> roles;
  private final DetectorContext ctx;

  IntelListed(List<ReloadingList> lists, List<String> roles, DetectorContext ctx) {
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
      ThreatLists l = ThreatLists.of(c, context);
      return new IntelListed(l.sources(), l.roles(), context);
    }
  }
}
