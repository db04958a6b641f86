package org.bottrace.event;

/**
 * One record a sensor wrote. Implementations are immutable records.
 */
public sealed interface Event
    permits ConnEvent, OpenConnEvent, IrcEvent, IrcCmdEvent, IrcPktEvent, DnsEvent, HttpEvent, FileEvent, PeEvent,
            EveFlow, EveAlert, EveDns, EveHttp, EveTftp, EveFileinfo, EveAnomaly, EveFtp, TlsEvent {

  /** When it happened, in microseconds since the epoch. */
  long ts();

  /**
   * When the sensor could have written it, in microseconds since the epoch: later than {@link #ts()}
   * for records written when a flow ends (Zeek conn, Suricata flow). Replay merges inputs by this time.
   */
  default long availableAt() {
    return ts();
  }

  /** The connection this record belongs to, or null for records about no connection. */
  FlowKey flow();

  /** The Zeek uid or Suricata flow id this record carries, as text; null when it has none. */
  String ref();

  /** Short name of the record type, as in the stats ("conn", "eve.flow", ...). */
  String type();
}
