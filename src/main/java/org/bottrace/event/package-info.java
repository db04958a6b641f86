/**
 * Immutable, typed records of what the sensors logged: one record type per log kind (Zeek conn, irc,
 * dns, http, files, pe; Suricata EVE flow, alert, dns, http, tftp, fileinfo, anomaly, ftp).
 *
 * <p>All times are microseconds since the Unix epoch (Zeek and Suricata both log microseconds), so that
 * the TSV and JSON forms of the same Zeek log give equal records. Every record has an event time
 * ({@link org.bottrace.event.Event#ts()}) and an availability time
 * ({@link org.bottrace.event.Event#availableAt()}), the moment its sensor could have written it.
 */
package org.bottrace.event;
