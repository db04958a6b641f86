package org.bottrace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a Zeek TSV log as Zeek does (header, rows, #close) for scenario tests. */
public final class ZeekLog {
  private final String path;
  private final String[] fields;
  private final String[] types;
  private final List<String> rows = new ArrayList<>();

  /** A log of Zeek path {@code path}; {@code columns} alternates field names and Zeek types. */
  public ZeekLog(String path, String... columns) {
    this.path = path;
    this.fields = new String[columns.length / 2];
    this.types = new String[columns.length / 2];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = columns[2 * i];
      types[i] = columns[2 * i + 1];
    }
  }

  /** A row: values in column order; null is unset ("-"), "" is empty ("(empty)"). */
  public ZeekLog row(Object... values) {
    if (values.length != fields.length) {
      throw new IllegalArgumentException(path + ": " + values.length + " values for " + fields.length + " fields");
    }
    List<String> s = new ArrayList<>();
    for (Object v : values) {
      s.add(v == null ? "-" : v.toString().isEmpty() ? "(empty)" : v instanceof Boolean b ? (b ? "T" : "F")
          : v.toString());
    }
    rows.add(String.join("\t", s));
    return this;
  }

  /** Writes {@code <path>.log} into dir. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder b = new StringBuilder("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n");
    b.append("#path\t").append(path).append("\n#open\t2026-09-21-00-00-00\n#fields\t").append(String.join("\t", fields))
        .append("\n#types\t").append(String.join("\t", types)).append('\n');
    for (String r : rows) {
      b.append(r).append('\n');
    }
    b.append("#close\t2026-09-21-01-00-00\n");
    Path f = dir.resolve(path + ".log");
    Files.writeString(f, b.toString());
    return f;
  }

  /** Writes {@code <path>.log} as Zeek's JSON writer does (LogAscii::use_json=T): unset fields left out. */
  public Path writeJson(Path dir) throws IOException {
    Files.createDirectories(dir);
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    StringBuilder b = new StringBuilder();
    for (String r : rows) {
      String[] v = r.split("\t", -1);
      com.fasterxml.jackson.databind.node.ObjectNode o = m.createObjectNode();
      for (int i = 0; i < fields.length; i++) {
        if (v[i].equals("-")) {
          continue;
        }
        String val = v[i].equals("(empty)") ? "" : v[i];
        switch (types[i]) {
          case "time", "interval", "double" -> o.put(fields[i], Double.parseDouble(val));
          case "port", "count", "int" -> o.put(fields[i], Long.parseLong(val));
          case "bool" -> o.put(fields[i], val.equals("T"));
          default -> {
            if (types[i].startsWith("vector[") || types[i].startsWith("set[")) {
              com.fasterxml.jackson.databind.node.ArrayNode a = o.putArray(fields[i]);
              for (String x : val.isEmpty() ? new String[0] : val.split(",")) {
                if (types[i].contains("interval") || types[i].contains("count")) {
                  a.add(Double.parseDouble(x));
                } else {
                  a.add(x);
                }
              }
            } else {
              o.put(fields[i], val);
            }
          }
        }
      }
      b.append(m.writeValueAsString(o)).append('\n');
    }
    Path f = dir.resolve(path + ".log");
    Files.writeString(f, b.toString());
    return f;
  }

  /** Writes TSV or JSON. */
  public Path write(Path dir, boolean json) throws IOException {
    return json ? writeJson(dir) : write(dir);
  }

  /** conn.log with the columns bottrace reads. */
  public static ZeekLog conn() {
    return new ZeekLog("conn", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port", "id.resp_h",
        "addr", "id.resp_p", "port", "proto", "enum", "service", "string", "duration", "interval", "orig_bytes",
        "count", "resp_bytes", "count", "conn_state", "string", "history", "string");
  }

  /** A conn.log row in the order of {@link #conn()}. */
  public ZeekLog conn(double ts, String uid, String oh, int op, String rh, int rp, String proto, String service,
      double duration, long ob, long rb, String state, String history) {
    return row(String.format(java.util.Locale.ROOT, "%.6f", ts), uid, oh, op, rh, rp, proto, service,
        String.format(java.util.Locale.ROOT, "%.6f", duration), ob, rb, state, history);
  }

  /**
   * The rows of a Zeek TSV log its sensor had written by {@code end} (epoch seconds): a row is written at
   * its ts plus its duration when it has one (conn.log and the open-connection logs), else at its ts.
   * Copies the header and those rows into {@code to} (no #close: the log is still open); returns the rows.
   */
  public static int writtenBy(java.nio.file.Path from, java.nio.file.Path to, double end) throws java.io.IOException {
    List<String> out = new ArrayList<>();
    int rows = 0;
    int ts = 0;
    int dur = -1;
    for (String line : java.nio.file.Files.readAllLines(from)) {
      if (line.startsWith("#fields")) {
        List<String> f = List.of(line.split("\t"));
        ts = f.indexOf("ts") - 1;
        dur = f.indexOf("duration") - 1;
      }
      if (line.startsWith("#")) {
        if (!line.startsWith("#close")) {
          out.add(line);
        }
        continue;
      }
      String[] c = line.split("\t", -1);
      double at = Double.parseDouble(c[ts]) + (dur >= 0 && !c[dur].equals("-") ? Double.parseDouble(c[dur]) : 0);
      if (at <= end) {
        out.add(line);
        rows++;
      }
    }
    java.nio.file.Files.write(to, out);
    return rows;
  }
}
