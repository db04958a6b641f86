##! bottrace's Zeek package: `@load` this folder, or copy it into the site folder as `bottrace` and
##! `@load bottrace` in local.zeek (see README.md).
##! irc_cmd.log: every IRC line Zeek parses, with the facts of bot commands and server replies (irc-cmd.zeek).
##! irc_pkt.log: size and gap of every payload packet of an IRC connection (irc-pkt.zeek).
##! irc_open.log: conn.log's columns of IRC sessions still open, every open_interval (irc-open.zeek).
##! feedback: what bottrace found, read back into the Intel framework (feedback.zeek; set BottraceFeedback::intel_file).

@load ./irc-cmd
@load ./irc-pkt
@load ./irc-open
@load ./feedback
