##! bottrace: irc_cmd.log, one row per IRC line Zeek's IRC analyzer parses, including the commands
##! Zeek's own irc.log leaves out (PASS, MODE, PRIVMSG, NOTICE, TOPIC, PING/PONG, numeric replies).
##! Client lines come from irc_request, lines the server relays from irc_message, numerics from
##! irc_reply. No message text is logged unless log_text is redefined to T.

@load base/protocols/irc

module BottraceIRC;

export {
	## The irc_cmd log stream.
	redef enum Log::ID += { CMD_LOG };

	## Log the start of each line's text (off: the text of IRC messages is private).
	const log_text = F &redef;

	## How many bytes of text are kept when log_text is on (the writer escapes them).
	const text_length = 32 &redef;

	## One IRC line.
	type CmdInfo: record {
		## When the line was seen.
		ts: time &log;
		## The connection's uid.
		uid: string &log;
		## The connection's 5-tuple.
		id: conn_id &log;
		## True for a line the client sent.
		is_orig: bool &log;
		## The command in upper case, or the three-digit reply code.
		command: string &log;
		## The channel or nick the line is about.
		target: string &log &optional;
		## The line's prefix: a server name or nick!user@host.
		prefix: string &log &optional;
		## The start of the line's text, when log_text is on.
		text: string &log &optional;
	};

	## Called for every row before it is written; a handler that breaks drops the row.
	global log_policy: Log::PolicyHook;
}

event zeek_init() &priority=5
	{
	Log::create_stream(BottraceIRC::CMD_LOG, [$columns=CmdInfo, $path="irc_cmd", $policy=log_policy]);
	}

# The first word of a parameter string, without the ':' that marks a trailing parameter.
function first_word(s: string): string
	{
	local parts = split_string1(s, / /);
	local w = parts[0];
	if ( |w| > 0 && w[0] == ":" )
		w = w[1:];
	return w;
	}

function write_cmd(c: connection, is_orig: bool, command: string, target: string, prefix: string,
                   text: string)
	{
	local info = CmdInfo($ts=network_time(), $uid=c$uid, $id=c$id, $is_orig=is_orig,
	                     $command=to_upper(command));
	if ( target != "" )
		info$target = target;
	if ( prefix != "" )
		info$prefix = prefix;
	if ( log_text && text != "" )
		info$text = text[:text_length];
	Log::write(BottraceIRC::CMD_LOG, info);
	}

event irc_request(c: connection, is_orig: bool, prefix: string, command: string, arguments: string)
	{
	local target = "";
	switch ( to_upper(command) )
		{
		case "PASS", "PING", "PONG", "CAP", "AWAY", "QUIT":
			# no channel or nick to name (and PASS's argument is a secret)
			break;
		default:
			target = first_word(arguments);
			break;
		}
	write_cmd(c, is_orig, command, target, prefix, to_upper(command) == "PASS" ? "" : arguments);
	}

event irc_message(c: connection, is_orig: bool, prefix: string, command: string, message: string)
	{
	write_cmd(c, is_orig, command, first_word(message), prefix, message);
	}

event irc_reply(c: connection, is_orig: bool, prefix: string, code: count, params: string)
	{
	# a reply's first parameter is the client's own nick; the line is about the next one, when that
	# is no trailing text
	local words = split_string(params, / /);
	local target = "";
	if ( |words| > 1 && |words[1]| > 0 && words[1][0] != ":" )
		target = words[1];
	else if ( |words| > 0 )
		target = words[0];
	local code_text = cat(code);
	while ( |code_text| < 3 )
		code_text = "0" + code_text;
	write_cmd(c, is_orig, code_text, target, prefix, params);
	}
