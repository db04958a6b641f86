package org.bottrace.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * S25R (Asami's "Selective SMTP Rejection"): the end-user test on a host's reverse-DNS name, as document
 * 004 uses it to estimate how many botnet servers sit on home lines. Rules 1-6 are the published regular
 * expressions on the PTR name; rule 0 is "no PTR, or a PTR that does not resolve back to the address",
 * which needs evidence (an NXDOMAIN answer to the PTR query, or a forward lookup that misses): a PTR that
 * was simply never seen is {@link Verdict#unknown()}, not rule 0. A user whitelist of regular
 * expressions is checked first, as mail servers do.
 *
 * <p>The patterns have no nested quantifiers and names are cut at 253 characters (the DNS limit), so a
 * hostile name cannot make matching slow.
 */
public final class S25r {
  /** The longest name looked at: DNS names are at most 253 characters. */
  public static final int MAX_NAME = 253;

  private static final Pattern[] RULES = {
      null,
      Pattern.compile("^[^.]*[0-9][^0-9.]+[0-9]"),
      Pattern.compile("^[^.]*[0-9]{5}"),
      Pattern.compile("^([^.]+\\.)?[0-9][^.]*\\.[^.]+\\..+\\.[a-z]"),
      Pattern.compile("^[^.]*[0-9]\\.[^.]*[0-9]-[0-9]"),
      Pattern.compile("^[^.]*[0-9]\\.[^.]*[0-9]\\.[^.]+\\..+\\."),
      Pattern.compile("^(dhcp|dialup|ppp|[achrsvx]?dsl)[^.]*[0-9]")};

  /**
   * The verdict on one host.
   *
   * @param rule the rule that matched (0 to 6), or -1 for none
   * @param state "end_user" (a rule matched), "not_end_user" (a PTR name matched no rule), "whitelisted"
   *     or "unknown" (no PTR seen and no evidence either way)
   * @param name the PTR name tested, or null
   * @param why one line: which rule or whitelist entry, on which name
   */
  public record Verdict(int rule, String state, String name, String why) {
    public static Verdict unknown() {
      return new Verdict(-1, "unknown", null, "no PTR name seen and no evidence that there is none");
    }

    public boolean endUser() {
      return rule >= 0;
    }
  }

  private final List<Pattern> whitelist;

  /**
   * @param whitelist regular expressions on PTR names checked before the rules (a match is not end-user)
   * @throws IllegalArgumentException naming the expression that does not compile
   */
  public S25r(List<String> whitelist) {
    List<Pattern> w = new ArrayList<>();
    for (String s : whitelist) {
      try {
        w.add(Pattern.compile(s, Pattern.CASE_INSENSITIVE));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("not a regular expression: '" + s + "': " + e.getDescription(), e);
      }
    }
    this.whitelist = List.copyOf(w);
  }

  /**
   * Tests a host.
   *
   * @param ptr the PTR name seen for it, or null
   * @param noPtrEvidence whether there is evidence of no PTR (an NXDOMAIN answer to its PTR query)
   * @param forwardMismatch whether the PTR name is known not to resolve back to the address
   */
  public Verdict test(String ptr, boolean noPtrEvidence, boolean forwardMismatch) {
    if (ptr == null || ptr.isEmpty()) {
      return noPtrEvidence ? new Verdict(0, "end_user", null, "rule 0: no PTR record (NXDOMAIN seen)")
          : Verdict.unknown();
    }
    String name = ptr.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.length() > MAX_NAME) {
      name = name.substring(0, MAX_NAME);
    }
    for (Pattern w : whitelist) {
      if (w.matcher(name).find()) {
        return new Verdict(-1, "whitelisted", name, "whitelisted by " + w.pattern());
      }
    }
    if (forwardMismatch) {
      return new Verdict(0, "end_user", name, "rule 0: " + name + " does not resolve back to the address");
    }
    for (int r = 1; r < RULES.length; r++) {
      if (RULES[r].matcher(name).find()) {
        return new Verdict(r, "end_user", name, "rule " + r + " (" + RULES[r].pattern() + ") on " + name);
      }
    }
    return new Verdict(-1, "not_end_user", name, "no S25R rule matches " + name);
  }
}
