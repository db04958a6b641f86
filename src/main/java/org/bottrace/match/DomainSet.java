package org.bottrace.match;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A set of DNS names. A name matches an entry equal to it or to one of its parent domains
 * ("a.b.evil.example" matches "evil.example"); case and a trailing dot are ignored, and so is what the
 * labels before the listed ones hold.
 */
public final class DomainSet {
  private final Map<String, String> names = new HashMap<>();

  /** The name without the root's dot at its end ("example.com." is "example.com"), as it was otherwise. */
  public static String withoutRootDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** Normalises a name: lower case, no trailing dot; null when it is no plausible DNS name. */
  public static String normalise(String name) {
    if (name == null) {
      return null;
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty() || n.length() > 253 || n.startsWith(".") || n.contains("..")) {
      return null;
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '*')) {
        return null;
      }
    }
    return n;
  }

  /**
   * A name as looked up: lower case, no trailing dot, nothing else checked, so that a byte a list's names
   * cannot hold (a space, {@code <}, ESC, NUL) in one label does not hide the listed labels after it
   * ({@code "x<y.evil.example"} matches {@code evil.example}); null when empty or longer than 1,024
   * characters (four times what DNS allows).
   */
  public static String lookupForm(String name) {
    if (name == null || name.length() > 1024) {
      return null;
    }
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.isEmpty() ? null : n;
  }

  /** Adds a name with the label lookups return; false when it is no plausible DNS name. */
  public boolean add(String name, String label) {
    String n = normalise(name);
    if (n == null) {
      return false;
    }
    if (n.startsWith("*.")) {
      n = n.substring(2);
    }
    names.putIfAbsent(n, label);
    return true;
  }

  /** The label of the entry the name or its nearest listed parent has, or null. */
  public String lookup(String name) {
    if (names.isEmpty()) {
      return null;
    }
    String n = lookupForm(name);
    while (n != null) {
      String l = names.get(n);
      if (l != null) {
        return l;
      }
      int dot = n.indexOf('.');
      n = dot < 0 ? null : n.substring(dot + 1);
    }
    return null;
  }

  /** The entry (the listed name itself) that matches, or null. */
  public String matchedEntry(String name) {
    String n = names.isEmpty() ? null : lookupForm(name);
    while (n != null) {
      if (names.containsKey(n)) {
        return n;
      }
      int dot = n.indexOf('.');
      n = dot < 0 ? null : n.substring(dot + 1);
    }
    return null;
  }

  public int size() {
    return names.size();
  }

  /** Every name, sorted. */
  public java.util.List<String> names() {
    java.util.List<String> out = new java.util.ArrayList<>(names.keySet());
    java.util.Collections.sort(out);
    return out;
  }
}
