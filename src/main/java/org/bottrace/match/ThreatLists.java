package org.bottrace.match;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.source.IoCause;
import org.bottrace.state.Shared;

/**
 * The threat lists of a run and the role of each: declared once in the top-level {@code lists:} section and
 * used by name by every detector and by the enrichment (a section may also define lists of its own). Each
 * list is read again when its file changes ({@link ReloadingList}).
 *
 * @param sources the lists, as files read again when they change
 * @param roles the role of each list, in the same order
 */
public record ThreatLists(List<ReloadingList> sources, List<String> roles) {
  /**
   * The roles a list may have: cc (C&amp;C servers: C&amp;C contact, listing lifetimes), bulletproof
   * (hosters that ignore complaints: the administrator class), download (malware download servers),
   * compromised (hosts known to be infected), blacklist (anything else worth a notice, the default); a
   * role of the user's own is written x-name (a typo of a known role is not taken for a new one).
   */
  public static final List<String> ROLES = List.of("cc", "bulletproof", "download", "compromised",
      "blacklist");


  /** The lists as they are now. */
  public List<PlainList> lists() {
    List<PlainList> out = new ArrayList<>(sources.size());
    for (ReloadingList r : sources) {
      out.add(r.get());
    }
    return out;
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
  public static ThreatLists of(ConfigNode c, Shared context) throws ConfigException {
    ThreatLists declared;
    try {
      declared = context == null ? new ThreatLists(List.of(), List.of())
          : context.shared(DECLARED, () -> new ThreatLists(List.of(), List.of()));
    } catch (IOException cannot) {
      throw new IllegalStateException(cannot); // the maker does no I/O
    }
    if (!c.has("lists")) {
      return declared;
    }
    if (c.isListOfValues("lists")) {
      List<String> wanted = c.strings("lists", List.of());
      List<ReloadingList> lists = new ArrayList<>();
      List<String> roles = new ArrayList<>();
      for (int i = 0; i < wanted.size(); i++) {
        int at = -1;
        for (int j = 0; j < declared.sources().size(); j++) {
          if (declared.sources().get(j).name().equals(wanted.get(i))) {
            at = j;
          }
        }
        if (at < 0) {
          List<String> known = declared.sources().stream().map(ReloadingList::name).toList();
          throw c.error("lists[" + i + "]", "no list named '" + wanted.get(i) + "' is declared in the top-level lists"
              + " (declared: " + known + ")");
        }
        lists.add(declared.sources().get(at));
        roles.add(declared.roles().get(at));
      }
      return new ThreatLists(List.copyOf(lists), List.copyOf(roles));
    }
    return define(c, context);
  }

  /** Loads list definitions: the {@code lists} sections of {@code c}. */
  public static ThreatLists define(ConfigNode c, Shared context) throws ConfigException {
    List<ReloadingList> lists = new ArrayList<>();
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
      ReloadingList rl;
      try {
        // a list named alike (name, file, format) in several sections is read once
        rl = context.shared("list|" + name + "|" + p.toAbsolutePath() + "|" + format, () -> {
          ReloadingList loaded = new ReloadingList(name, p, format,
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
        throw l.error("path", "cannot read " + p + ": " + IoCause.of(ex));
      }
      lists.add(rl);
      roles.add(role);
    }
    return new ThreatLists(List.copyOf(lists), List.copyOf(roles));
  }
}
