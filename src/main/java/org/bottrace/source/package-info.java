/**
 * Readers: one per input format (Zeek TSV driven by its header, Zeek JSON, Suricata EVE), turning
 * log lines into {@link org.bottrace.event.Event}s, plus the replay merge of many files by
 * availability time. A malformed line is counted, reported with file:line and skipped; it never
 * stops the stream.
 */
package org.bottrace.source;
