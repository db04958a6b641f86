package org.bottrace.match;

import java.util.function.LongConsumer;

/**
 * A map from long keys to labels without boxing: open addressing with linear probing, grown at half
 * full, no removal (a list is rebuilt, not edited). An IPv4 network look-up is one multiply and, mostly,
 * one array read.
 */
final class LongTable {
  private long[] keys = new long[16];
  private String[] values = new String[16];
  private int size;

  /** The label of {@code key}, or null. */
  String get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      String v = values[i];
      if (v == null || keys[i] == key) {
        return v;
      }
    }
  }

  /** Adds {@code key} with {@code label} unless present; whether it was added. */
  boolean putIfAbsent(long key, String label) {
    if (label == null) {
      throw new IllegalArgumentException("a label is required");
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (values[i] == null) {
        keys[i] = key;
        values[i] = label;
        size++;
        return true;
      }
      if (keys[i] == key) {
        return false;
      }
    }
  }

  /** Calls {@code each} with every key. */
  void keys(LongConsumer each) {
    for (int i = 0; i < keys.length; i++) {
      if (values[i] != null) {
        each.accept(keys[i]);
      }
    }
  }

  private void grow() {
    long[] k = keys;
    String[] v = values;
    keys = new long[k.length * 2];
    values = new String[k.length * 2];
    size = 0;
    for (int i = 0; i < k.length; i++) {
      if (v[i] != null) {
        putIfAbsent(k[i], v[i]);
      }
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
