##! bottrace's Zeek package: `@load` this folder (or install it with zkg) on the sensor.
##! irc_cmd.log: every IRC line Zeek parses (see irc-cmd.zeek).
##! irc_pkt.log (packet sizes and gaps of IRC connections) is not written yet; see README.md.

@load ./irc-cmd
