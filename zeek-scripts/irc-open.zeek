##! bottrace: irc_open.log, the running state of IRC sessions while they are open. Zeek writes a
##! connection's conn.log row when it ends, so a C&C session that stays up for days is invisible there
##! until the bot disconnects. For every connection Zeek's IRC analyzer confirmed, and every TCP session
##! to an IRC port (irc_ports) from its establishment, this writes conn.log's columns (Conn::Info) every
##! `open_interval` while it is open: duration, bytes and packets so far. bottrace reads irc_open.log as
##! it reads corelight's conn_long.log and activecm's open_conn.log: a session still open, never a
##! finished connection.

@load base/protocols/conn

module Conn;

export {
	## Conn::set_conn is module-private; this gives the open-session writer the row as conn.log would
	## have it now (the end-of-connection fields too: duration, bytes, packets, state, history so far;
	## they are set again when the connection ends).
	global bottrace_conn_info: function(c: connection): Conn::Info;
}

function bottrace_conn_info(c: connection): Conn::Info
	{
	Conn::set_conn(c, F);
	Conn::set_conn(c, T);
	return c$conn;
	}

module BottraceOpen;

export {
	## The irc_open log stream.
	redef enum Log::ID += { OPEN_LOG };

	## How often an open session's state is written (also the age of its first row).
	const open_interval = 10 min &redef;

	## Ports whose TCP sessions are followed from their establishment, before (or without) IRC being
	## recognised: an IRC bot on its C&C server's usual port, IRC over TLS on 6697.
	const irc_ports: set[port] = { 6660/tcp, 6661/tcp, 6662/tcp, 6663/tcp, 6664/tcp, 6665/tcp, 6666/tcp,
		6667/tcp, 6668/tcp, 6669/tcp, 6697/tcp, 7000/tcp } &redef;

	## Stop after this many sessions followed at once (a bound for a busy sensor).
	const max_sessions = 100000 &redef;

	## Called for every row before it is written; a handler that breaks drops the row.
	global open_log_policy: Log::PolicyHook;

	global check: event(id: conn_id);
}

global followed: set[conn_id];

event zeek_init() &priority=5
	{
	Log::create_stream(OPEN_LOG, [$columns=Conn::Info, $path="irc_open", $policy=open_log_policy]);
	}

function follow(c: connection)
	{
	if ( c$id in followed || |followed| >= max_sessions )
		return;
	add followed[c$id];
	schedule open_interval { BottraceOpen::check(c$id) };
	}

event connection_established(c: connection)
	{
	if ( c$id$resp_p in irc_ports )
		follow(c);
	}

event analyzer_confirmation_info(atype: AllAnalyzers::Tag, info: AnalyzerConfirmationInfo)
	{
	if ( atype == Analyzer::ANALYZER_IRC && info?$c )
		follow(info$c);
	}

event BottraceOpen::check(id: conn_id)
	{
	if ( ! connection_exists(id) )
		{
		delete followed[id]; # it ended: conn.log has it
		return;
		}
	local c = lookup_connection(id);
	Log::write(OPEN_LOG, Conn::bottrace_conn_info(c));
	schedule open_interval { BottraceOpen::check(id) };
	}

event connection_state_remove(c: connection)
	{
	delete followed[c$id];
	}
