##! bottrace's Zeek package: `@load` this folder (or install it with zkg) on the sensor.
##! irc_cmd.log: every IRC line Zeek parses (see irc-cmd.zeek).
##! irc_pkt.log: size and gap of every payload packet of an IRC connection (see irc-pkt.zeek).

@load ./irc-cmd
@load ./irc-pkt
