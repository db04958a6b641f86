##! bottrace: irc_pkt.log, one row per payload-carrying TCP packet of a connection Zeek's IRC analyzer
##! confirmed: its payload size (document 000's Sn) and the time since the previous payload packet in
##! the same direction (its Tn).
##!
##! Zeek cannot raise tcp_packet for some connections only: a tcp_packet handler makes Zeek raise it for
##! every TCP packet of the sensor. This script uses the connection threshold framework instead: once a
##! connection is confirmed as IRC, it asks to be told of the next packet in each direction
##! (ConnThreshold::set_packets_threshold), and at each one reads how far the direction's byte count
##! (c$orig$size / c$resp$size, from TCP sequence numbers) moved; a packet that moved it is logged, and
##! the next packet is asked for. Only IRC connections pay, one event per packet.
##!
##! Packets before the confirmation (usually the first client line, NICK or CAP) are not logged.
##! Retransmissions do not move the byte count and are not logged.
##!
##! IRC over TLS: a TLS session to an IRC port (BottraceOpen::irc_ports, 6697 among them) is followed from
##! the end of its handshake, its rows marked `encrypted`: the sizes are those of the TLS records that
##! carry the IRC lines (a line plus a constant overhead per record), the gaps the same as in clear.

@load base/protocols/conn/thresholds
@load base/protocols/irc
@load base/protocols/ssl
@load ./irc-open

module BottraceIRC;

export {
	## The irc_pkt log stream.
	redef enum Log::ID += { PKT_LOG };

	## One payload-carrying packet of an IRC connection.
	type PktInfo: record {
		## When the packet was seen.
		ts: time &log;
		## The connection's uid.
		uid: string &log;
		## The connection's 5-tuple.
		id: conn_id &log;
		## True for a packet the client sent.
		is_orig: bool &log;
		## TCP payload bytes.
		len: count &log;
		## Time since the previous payload packet in the same direction (unset for the first).
		gap: interval &log &optional;
		## True for a TLS session on an IRC port: the sizes are of TLS records, not of IRC lines.
		encrypted: bool &log &default=F;
	};

	## Stop following a connection after this many logged packets (a bound for busy servers).
	const max_packets = 100000 &redef;

	## Called for every row before it is written; a handler that breaks drops the row.
	global pkt_log_policy: Log::PolicyHook;
}

type PktState: record {
	orig_size: count &default=0;
	resp_size: count &default=0;
	orig_last: time &optional;
	resp_last: time &optional;
	logged: count &default=0;
	encrypted: bool &default=F;
};

redef record connection += {
	bottrace_irc_pkt: PktState &optional;
};

event zeek_init() &priority=5
	{
	Log::create_stream(BottraceIRC::PKT_LOG, [$columns=PktInfo, $path="irc_pkt", $policy=pkt_log_policy]);
	}

function packets(c: connection, is_orig: bool): count
	{
	local e = is_orig ? c$orig : c$resp;
	return e?$num_pkts ? e$num_pkts : 0;
	}

function follow(c: connection, encrypted: bool &default=F)
	{
	if ( c?$bottrace_irc_pkt || get_port_transport_proto(c$id$resp_p) != tcp )
		return;
	c$bottrace_irc_pkt = PktState($orig_size=c$orig$size, $resp_size=c$resp$size, $encrypted=encrypted);
	ConnThreshold::set_packets_threshold(c, packets(c, T) + 1, T);
	ConnThreshold::set_packets_threshold(c, packets(c, F) + 1, F);
	}

event analyzer_confirmation_info(atype: AllAnalyzers::Tag, info: AnalyzerConfirmationInfo)
	{
	if ( atype == Analyzer::ANALYZER_IRC && info?$c )
		follow(info$c);
	}

# A connection whose IRC lines are parsed before (or without) the confirmation event.
event irc_request(c: connection, is_orig: bool, prefix: string, command: string, arguments: string)
	{
	follow(c);
	}

event irc_reply(c: connection, is_orig: bool, prefix: string, code: count, params: string)
	{
	follow(c);
	}

# IRC over TLS on an IRC port (STARTTLS sessions are confirmed IRC and followed already).
event ssl_established(c: connection)
	{
	if ( c$id$resp_p in BottraceOpen::irc_ports )
		follow(c, T);
	}

event ConnThreshold::packets_threshold_crossed(c: connection, threshold: count, is_orig: bool)
	{
	if ( ! c?$bottrace_irc_pkt )
		return;
	local st = c$bottrace_irc_pkt;
	local size = is_orig ? c$orig$size : c$resp$size;
	local before = is_orig ? st$orig_size : st$resp_size;
	if ( size > before )
		{
		local info = PktInfo($ts=network_time(), $uid=c$uid, $id=c$id, $is_orig=is_orig, $len=size - before,
		                      $encrypted=st$encrypted);
		if ( is_orig )
			{
			if ( st?$orig_last )
				info$gap = network_time() - st$orig_last;
			st$orig_last = network_time();
			st$orig_size = size;
			}
		else
			{
			if ( st?$resp_last )
				info$gap = network_time() - st$resp_last;
			st$resp_last = network_time();
			st$resp_size = size;
			}
		Log::write(BottraceIRC::PKT_LOG, info);
		++st$logged;
		}
	if ( st$logged < max_packets )
		ConnThreshold::set_packets_threshold(c, threshold + 1, is_orig);
	}
