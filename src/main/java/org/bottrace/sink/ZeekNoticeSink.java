package org.bottrace.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;

/**
 * Notices as a Zeek ASCII log ("bottrace.log"), readable by zeek-cut, Zeek's log readers and every SIEM
 * Zeek integration. The #open and #close lines carry log time (the first and last notice), not the
 * wall clock, so the same input always gives the same bytes.
 */
public final class ZeekNoticeSink implements NoticeSink {
  /** The columns, in order. */
  public static final String FIELDS = String.join("\t", "ts", "notice_id", "subject", "note", "severity", "confidence", "msg", "sub", "uid", "id.orig_h",
      "id.orig_p", "id.resp_h", "id.resp_p", "proto", "src", "dst", "p", "uids", "detector", "evidence",
      "enrichment", "suppressed");
  /** Their Zeek types. */
  public static final String TYPES = String.join("\t", "time", "string", "string", "string", "enum", "double", "string",
      "string", "string",
      "addr", "port", "addr", "port", "enum", "addr", "addr", "port", "set[string]", "string", "string", "string",
      "count");
  private static final DateTimeFormatter OPEN = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
      .withZone(ZoneOffset.UTC);

  private final Writer out;
  private boolean headerWritten;
  private long lastTs = Long.MIN_VALUE;

  public ZeekNoticeSink(OutputStream out) {
    this(out, false);
  }

  /**
   * @param appending the stream continues a bottrace.log that has its header already (follow mode
   *     after a restart): no second header is written
   */
  public ZeekNoticeSink(OutputStream out, boolean appending) {
    this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    this.headerWritten = appending;
  }

  /** Closes without the #close line: a follow run that stops will go on appending to this file. */
  public void closeWithoutTrailer() throws IOException {
    out.close();
  }

  @Override
  public void write(Notice n) throws IOException {
    Finding f = n.finding();
    if (!headerWritten) {
      header(f.ts());
    }
    lastTs = Math.max(lastTs, f.ts());
    StringBuilder b = new StringBuilder(512);
    Micros.appendEpoch(b, f.ts());
    col(b, n.id());
    col(b, n.subject());
    col(b, f.note());
    col(b, f.severity().label());
    col(b, String.format(java.util.Locale.ROOT, "%.3f", f.confidence()));
    col(b, f.msg());
    col(b, f.sub());
    col(b, f.uid());
    FlowKey c = f.conn();
    col(b, c == null ? null : c.origH());
    col(b, c == null ? null : Integer.toString(c.origP()));
    col(b, c == null ? null : c.respH());
    col(b, c == null ? null : Integer.toString(c.respP()));
    col(b, c == null || c.proto().isEmpty() ? null : c.proto());
    col(b, f.src());
    col(b, f.dst());
    col(b, f.p() < 0 ? null : Integer.toString(f.p()));
    b.append('\t');
    if (f.uids().isEmpty()) {
      b.append("(empty)");
    } else {
      for (int i = 0; i < f.uids().size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        escape(b, Text.bound(f.uids().get(i)), true);
      }
    }
    col(b, n.detector());
    json(b, JsonNoticeSink.json(f.evidence()));
    json(b, JsonNoticeSink.json(n.enrichment()));
    col(b, Long.toString(n.suppressed()));
    b.append('\n');
    out.write(b.toString());
  }

  private void header(long firstTs) throws IOException {
    headerWritten = true;
    out.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tbottrace\n");
    out.write("#open\t" + stamp(firstTs) + "\n#fields\t" + FIELDS + "\n#types\t" + TYPES + "\n");
  }

  private static String stamp(long micros) {
    return OPEN.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L)));
  }

  /** A column of JSON text: its strings are bounded already, so it is escaped but never cut. */
  private static void json(StringBuilder b, String v) {
    b.append('\t');
    escape(b, v, false);
  }

  private static void col(StringBuilder b, String v) {
    b.append('\t');
    if (v == null) {
      b.append('-');
    } else if (v.isEmpty()) {
      b.append("(empty)");
    } else {
      escape(b, Text.bound(v), false);
    }
  }

  /**
   * Zeek's escaping: tab, newline and other control characters, backslash, and (in sets) the set
   * separator become \xNN, and so do the characters a reader must not get raw (bidi controls, BOM,
   * unpaired surrogates: {@link org.bottrace.source.Printable}), byte by byte of their UTF-8; a value that reads as the unset or empty marker has its first character escaped.
   */
  static void escape(StringBuilder b, String v, boolean inSet) {
    if (v.equals("-") || v.equals("(empty)")) {
      b.append(v.charAt(0) == '-' ? "\\x2d" : "\\x28").append(v, 1, v.length());
      return;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
        b.append(c).append(v.charAt(++i));
      } else if (org.bottrace.source.Printable.hidden(c) || c == '\t' || c == '\\' || (inSet && c == ',')
          || Character.isSurrogate(c)) {
        org.bottrace.source.Printable.bytes(b, c);
      } else {
        b.append(c);
      }
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (headerWritten) {
      out.write("#close\t" + stamp(lastTs) + "\n");
    }
    out.close();
  }
}
