package org.bottrace.event;

/**
 * A Suricata EVE alert.
 *
 * @param ts time of the packet that fired the rule
 * @param flowId Suricata flow id, or -1
 * @param flow src to dest of that packet
 * @param communityIdField community_id when logged, else null
 * @param appProto application protocol, or null
 * @param action allowed, blocked
 * @param gid generator id
 * @param sid signature id
 * @param rev rule revision
 * @param signature signature message
 * @param category classification text
 * @param severity 1 (high) to 4, or -1
 * @param direction to_server or to_client, or null (Suricata before 7)
 * @param evidence what the rule's {@code bottrace_evidence} metadata says the alert shows (bottrace's own
 *     rules, suricata-rules/); empty for other rules
 */
public record EveAlert(long ts, long flowId, FlowKey flow, String communityIdField, String appProto, String action,
    long gid, long sid, long rev, String signature, String category, long severity, String direction,
    java.util.Set<RuleEvidence> evidence) implements Event, EveEvent {
  /** The kinds of evidence bottrace's rules declare in their metadata ({@code bottrace_evidence irc_report}). */
  public enum RuleEvidence {
    /** A C&amp;C command delivered to the client (a channel line, a topic, a NOTICE). */
    IRC_COMMAND,
    /** ... one that orders a program's download. */
    IRC_ORDER,
    /** A C&amp;C command the client sent (a herder). */
    IRC_COMMAND_SENT,
    /** A bot family's report tag in a line the client sent. */
    IRC_REPORT,
    /** A line the client sent after it had received a command (its timing). */
    IRC_LINE,
    /** IRC on a port IRC servers do not use. */
    IRC_ODD_PORT,
    /** A bot-style NICK. */
    IRC_BOT_NICK,
    /** A bot-style USER line. */
    IRC_BOT_USER,
    /** A DCC SEND of a program. */
    IRC_DCC_PROGRAM,
    /**
     * A match of what bottrace itself found and fed back (suricata-rules/bottrace-feedback.rules): the
     * reader hands such an alert to no detector (no sighting, no evidence).
     */
    FEEDBACK;

    /** The kinds named in a rule's metadata; names bottrace does not know (a newer rules file) are left out. */
    public static java.util.Set<RuleEvidence> of(java.util.List<String> names) {
      java.util.EnumSet<RuleEvidence> out = java.util.EnumSet.noneOf(RuleEvidence.class);
      for (String n : names) {
        for (RuleEvidence e : values()) {
          if (e.name().equalsIgnoreCase(n)) {
            out.add(e);
          }
        }
      }
      return out.isEmpty() ? java.util.Set.of() : java.util.Collections.unmodifiableSet(out);
    }
  }

  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.alert";
  }
}
