package org.bottrace.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.function.LongSupplier;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Active reverse and forward lookups of a server's name, for S25R when the logs showed no PTR answer
 * (off by default: a passive sensor should not talk to the network unasked). Answers are cached; lookups
 * are rate-limited (a token bucket on the wall clock); a lookup that fails for any reason other than
 * "no such name" is "unknown", never "no PTR".
 */
public final class ActiveDns {
  /** What a lookup found. */
  public record Answer(String state, List<String> values) {
    static final Answer NONE = new Answer("nxdomain", List.of());
    static final Answer UNKNOWN = new Answer("unknown", List.of());
  }

  /** Does the lookups (JNDI's DNS provider in use; a test gives its own). */
  public interface Resolver {
    /** Records of a type (PTR, A, AAAA) for a name; throws NameNotFoundException for NXDOMAIN. */
    List<String> lookup(String name, String type) throws NamingException;
  }

  private final Resolver resolver;
  private final double perSecond;
  private final LongSupplier nanos;
  private final Cache<String, Answer> cache;
  private double tokens;
  private long last;

  ActiveDns(Resolver resolver, double perSecond, Duration keep, LongSupplier nanos) {
    this.resolver = resolver;
    this.perSecond = perSecond;
    this.nanos = nanos;
    this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(keep).build();
    this.tokens = Math.max(1, perSecond);
    this.last = nanos.getAsLong();
  }

  /**
   * Lookups through JNDI's DNS provider.
   *
   * @param server the DNS server to ask ("192.0.2.53" or "192.0.2.53:53"), or null for the system's
   * @param timeout per query
   */
  public static ActiveDns jndi(String server, Duration timeout, double perSecond, Duration keep) {
    Hashtable<String, String> env = new Hashtable<>();
    env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    env.put("java.naming.provider.url", server == null ? "dns:" : "dns://" + server);
    env.put("com.sun.jndi.dns.timeout.initial", String.valueOf(Math.max(1, timeout.toMillis())));
    env.put("com.sun.jndi.dns.timeout.retries", "1");
    Resolver r = (name, type) -> {
      DirContext ctx = new InitialDirContext(env);
      try {
        Attributes a = ctx.getAttributes(name, new String[] {type});
        Attribute at = a.get(type);
        List<String> out = new ArrayList<>();
        if (at != null) {
          NamingEnumeration<?> e = at.getAll();
          while (e.hasMore()) {
            out.add(String.valueOf(e.next()));
          }
        }
        return out;
      } finally {
        ctx.close();
      }
    };
    return new ActiveDns(r, perSecond, keep, System::nanoTime);
  }

  private boolean take() {
    long now = nanos.getAsLong();
    tokens = Math.min(Math.max(1, perSecond), tokens + (now - last) / 1e9 * perSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  private Answer ask(String name, String type) {
    String key = type + " " + name;
    Answer a = cache.getIfPresent(key);
    if (a != null) {
      return a;
    }
    if (!take()) {
      return null; // over the rate: not asked, not cached; a later notice may ask
    }
    try {
      List<String> v = resolver.lookup(name, type);
      List<String> clean = new ArrayList<>();
      for (String s : v) {
        clean.add(org.bottrace.match.DomainSet.withoutRootDot(s.toLowerCase(java.util.Locale.ROOT)));
      }
      a = clean.isEmpty() ? Answer.NONE : new Answer("found", List.copyOf(clean));
    } catch (NameNotFoundException e) {
      a = Answer.NONE;
    } catch (NamingException | RuntimeException e) {
      a = Answer.UNKNOWN;
    }
    cache.put(key, a);
    return a;
  }

  /** The PTR of an IPv4 address: found (with names), nxdomain, unknown, or null when over the rate. */
  public Answer ptr(String ipv4) {
    String[] p = ipv4.split("\\.");
    if (p.length != 4) {
      return Answer.UNKNOWN;
    }
    return ask(p[3] + "." + p[2] + "." + p[1] + "." + p[0] + ".in-addr.arpa", "PTR");
  }

  /** The A records of a name, or null when over the rate. */
  public Answer addresses(String name) {
    return ask(name, "A");
  }
}
