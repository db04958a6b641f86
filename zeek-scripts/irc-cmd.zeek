##! bottrace: irc_cmd.log, one row per IRC line Zeek's IRC analyzer parses, including what Zeek's own
##! irc.log leaves out: PASS, MODE, PRIVMSG, NOTICE, TOPIC, PART, QUIT, PING/PONG, the lines the server
##! relays from other members (their JOIN, PART, QUIT, NICK and channel lines) and the numeric replies
##! (user counts 251/254/255/265/266, NAMES 353, TOPIC 332, errors such as 404/482).
##!
##! Zeek's IRC analyzer raises one event per line: a specific one where a handler exists for it
##! (irc_privmsg_message, irc_join_message, irc_names_info, irc_channel_topic, ...) and irc_request
##! (client lines), irc_message (server lines) or irc_reply (numerics) for the rest. Lines that have a
##! specific event never reach the generic ones, so this script handles each of them.
##!
##! Logging model: facts as fields, text only where a fact needs it. A channel or private message is
##! not logged; what a bot detector needs from it is: the first words when the message starts like a
##! command to a bot (`.download`, `!scan`, `@udpflood`), a report tag at its start (`[MAIN]`,
##! `[DOWNLOAD]`) and the first URL in it. Topics (public to anyone who joins), MODE parameters, NAMES
##! lists and the USER line's arguments are logged as text, bounded by text_length; PASS and OPER
##! passwords never are. Each row is filled by a handler at priority 5 and written at priority -5, so
##! other scripts can add to it in between (see log_policy).

@load base/protocols/irc

module BottraceIRC;

export {
	## The irc_cmd log stream.
	redef enum Log::ID += { CMD_LOG };

	## Also log the text of PRIVMSG and NOTICE lines (off: people's messages are private).
	const log_text = F &redef;

	## How many bytes of a text field are kept (Zeek's writer escapes what it writes).
	const text_length = 200 &redef;

	## How many bytes of the command words of a message are kept.
	const words_length = 64 &redef;

	## How many bytes of a URL are kept.
	const url_length = 256 &redef;

	## The characters that start a command to a bot (rBot/SDBot `.`, `!`; ShellBot `@`; others).
	const command_chars = /^[.!@$%?~]/ &redef;

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
		## The channel(s) or nick the line is about (comma-separated when several).
		target: string &log &optional;
		## Who the line is from, as the server gave it: nick!user@host, a nick or a server name.
		prefix: string &log &optional;
		## A number the line carries: users (251, 255), channels (254), local and global users
		## (265, 266), names in a NAMES line (353), the size of a DCC SEND.
		num: count &log &optional;
		## The first words (at most three) of a message or topic that starts with a command character.
		words: string &log &optional;
		## A report tag at the start of a message or topic (`[SCAN]`, `<MAIN>`, `STATUS:`).
		tag: string &log &optional;
		## The first URL in a message or topic.
		url: string &log &optional;
		## Public text: a topic (TOPIC, 332), MODE parameters, a NAMES list (353), the USER line's
		## arguments (mode, unused, real name), a KICK's nicks, an ERROR; message text only with log_text.
		text: string &log &optional;
	};

	## Called for every row before it is written; a handler that breaks drops the row.
	global log_policy: Log::PolicyHook;
}

redef record connection += {
	## The irc_cmd row being filled for the connection's current line.
	bottrace_irc_cmd: CmdInfo &optional;
};

event zeek_init() &priority=5
	{
	Log::create_stream(BottraceIRC::CMD_LOG, [$columns=CmdInfo, $path="irc_cmd", $policy=log_policy]);
	}

# mIRC colour and formatting codes that bots put around their tags.
const formatting = /\x03[0-9]{0,2}(,[0-9]{1,2})?|[\x02\x0f\x16\x1d\x1f]/;
const report_tag = /^[-=]?[\[<{(][A-Za-z][A-Za-z0-9_. -]{0,15}[\]>})][-=]?:?|^[A-Z][A-Z0-9_]{1,15}:/;
const url_pattern = /([hH][tT][tT][pP][sS]?|[fF][tT][pP]|[tT][fF][tT][pP]):\/\/[^ ]+/;

# The first word of a parameter string, without the ':' that marks a trailing parameter.
function first_word(s: string): string
	{
	local w = split_string1(s, / /)[0];
	if ( |w| > 0 && w[0] == ":" )
		w = w[1:];
	return w;
	}

# The parameters after the first, without a trailing parameter's ':'.
function rest(s: string): string
	{
	local parts = split_string1(s, / /);
	if ( |parts| < 2 )
		return "";
	local r = parts[1];
	if ( |r| > 0 && r[0] == ":" )
		r = r[1:];
	return r;
	}

function bounded(s: string, n: count): string
	{
	return |s| > n ? s[:n] : s;
	}

# Starts the row of the connection's current line.
function start(c: connection, is_orig: bool, command: string, target: string, prefix: string)
	{
	local info = CmdInfo($ts=network_time(), $uid=c$uid, $id=c$id, $is_orig=is_orig,
	                     $command=to_upper(command));
	if ( target != "" )
		info$target = bounded(target, text_length);
	if ( prefix != "" )
		info$prefix = bounded(prefix, text_length);
	c$bottrace_irc_cmd = info;
	}

# The facts of a message or topic: its command words, report tag and first URL; its text if asked.
function message_facts(c: connection, message: string, keep_text: bool)
	{
	if ( ! c?$bottrace_irc_cmd )
		return;
	local info = c$bottrace_irc_cmd;
	local m = strip(gsub(message, formatting, ""));
	if ( |m| > 0 && m[0] == "\x01" )
		m = sub(m, /^\x01(ACTION )?/, "");
	if ( command_chars in m )
		{
		local words = split_string_n(m, / +/, F, 3);
		local w = "";
		for ( i in words )
			{
			if ( i > 2 )
				break;
			if ( url_pattern in words[i] )
				next;
			w = w == "" ? words[i] : w + " " + words[i];
			}
		info$words = bounded(w, words_length);
		}
	local tag = match_pattern(m, report_tag);
	if ( tag$matched )
		info$tag = bounded(tag$str, 24);
	local url = match_pattern(m, url_pattern);
	if ( url$matched )
		info$url = bounded(url$str, url_length);
	if ( keep_text && m != "" )
		info$text = bounded(m, text_length);
	}

function set_text(c: connection, text: string)
	{
	if ( c?$bottrace_irc_cmd && text != "" )
		c$bottrace_irc_cmd$text = bounded(text, text_length);
	}

function set_count(c: connection, n: count)
	{
	if ( c?$bottrace_irc_cmd )
		c$bottrace_irc_cmd$num = n;
	}

# Writes the connection's current row.
function flush(c: connection)
	{
	if ( ! c?$bottrace_irc_cmd )
		return;
	Log::write(BottraceIRC::CMD_LOG, c$bottrace_irc_cmd);
	delete c$bottrace_irc_cmd;
	}

# The first number in a reply's text (265/266: "Current local users: 12  Max: 30" or "12 30 :...").
function first_number(s: string): count
	{
	local n = find_all_ordered(s, /[0-9]{1,9}/);
	return |n| > 0 ? to_count(n[0]) : 0;
	}

# ---- channel and private messages ----

event irc_privmsg_message(c: connection, is_orig: bool, source: string, target: string, message: string) &priority=5
	{
	start(c, is_orig, "PRIVMSG", target, source);
	message_facts(c, message, log_text);
	}

event irc_privmsg_message(c: connection, is_orig: bool, source: string, target: string, message: string) &priority=-5
	{
	flush(c);
	}

event irc_notice_message(c: connection, is_orig: bool, source: string, target: string, message: string) &priority=5
	{
	start(c, is_orig, "NOTICE", target, source);
	message_facts(c, message, log_text);
	}

event irc_notice_message(c: connection, is_orig: bool, source: string, target: string, message: string) &priority=-5
	{
	flush(c);
	}

event irc_squery_message(c: connection, is_orig: bool, source: string, target: string, message: string) &priority=5
	{
	start(c, is_orig, "SQUERY", target, source);
	}

event irc_squery_message(c: connection, is_orig: bool, source: string, target: string, message: string) &priority=-5
	{
	flush(c);
	}

event irc_dcc_message(c: connection, is_orig: bool, prefix: string, target: string, dcc_type: string,
                      argument: string, address: addr, dest_port: count, size: count) &priority=5
	{
	start(c, is_orig, "PRIVMSG", target, prefix);
	c$bottrace_irc_cmd$words = bounded("DCC " + to_upper(dcc_type), words_length);
	# Zeek reads the size with atoi: a negative one wraps to a huge count, which is no size
	if ( size < 1099511627776 )
		set_count(c, size);
	set_text(c, argument);
	}

event irc_dcc_message(c: connection, is_orig: bool, prefix: string, target: string, dcc_type: string,
                      argument: string, address: addr, dest_port: count, size: count) &priority=-5
	{
	flush(c);
	}

# ---- registration and membership ----

event irc_password_message(c: connection, is_orig: bool, password: string) &priority=5
	{
	# the password itself is never logged
	start(c, is_orig, "PASS", "", "");
	}

event irc_password_message(c: connection, is_orig: bool, password: string) &priority=-5
	{
	flush(c);
	}

event irc_nick_message(c: connection, is_orig: bool, who: string, newnick: string) &priority=5
	{
	start(c, is_orig, "NICK", newnick, who);
	}

event irc_nick_message(c: connection, is_orig: bool, who: string, newnick: string) &priority=-5
	{
	flush(c);
	}

event irc_user_message(c: connection, is_orig: bool, user: string, host: string, server: string, real_name: string) &priority=5
	{
	# as Zeek's irc.log gives them: the user name, then mode (or host), unused (or server) and real name
	start(c, is_orig, "USER", user, "");
	set_text(c, fmt("%s %s %s", host, server, real_name));
	}

event irc_user_message(c: connection, is_orig: bool, user: string, host: string, server: string, real_name: string) &priority=-5
	{
	flush(c);
	}

event irc_join_message(c: connection, is_orig: bool, info_list: irc_join_list) &priority=5
	{
	local chans: vector of string = vector();
	local keys: vector of string = vector();
	local nick = "";
	for ( j in info_list )
		{
		chans += j$channel;
		if ( j$password != "" )
			keys += j$password;
		nick = j$nick;
		}
	sort(chans, strcmp);
	start(c, is_orig, "JOIN", join_string_vec(chans, ","), nick);
	# a channel key is a fact of the channel (Zeek's irc.log logs it too)
	if ( |keys| > 0 )
		set_text(c, join_string_vec(keys, ","));
	}

event irc_join_message(c: connection, is_orig: bool, info_list: irc_join_list) &priority=-5
	{
	flush(c);
	}

event irc_part_message(c: connection, is_orig: bool, nick: string, chans: string_set, message: string) &priority=5
	{
	local v: vector of string = vector();
	for ( ch in chans )
		v += ch;
	sort(v, strcmp);
	start(c, is_orig, "PART", join_string_vec(v, ","), nick);
	}

event irc_part_message(c: connection, is_orig: bool, nick: string, chans: string_set, message: string) &priority=-5
	{
	flush(c);
	}

event irc_quit_message(c: connection, is_orig: bool, nick: string, message: string) &priority=5
	{
	start(c, is_orig, "QUIT", "", nick);
	}

event irc_quit_message(c: connection, is_orig: bool, nick: string, message: string) &priority=-5
	{
	flush(c);
	}

event irc_mode_message(c: connection, is_orig: bool, prefix: string, params: string) &priority=5
	{
	start(c, is_orig, "MODE", first_word(params), prefix);
	set_text(c, rest(params));
	}

event irc_mode_message(c: connection, is_orig: bool, prefix: string, params: string) &priority=-5
	{
	flush(c);
	}

event irc_kick_message(c: connection, is_orig: bool, prefix: string, chans: string, users: string, comment: string) &priority=5
	{
	start(c, is_orig, "KICK", chans, prefix);
	set_text(c, users);
	}

event irc_kick_message(c: connection, is_orig: bool, prefix: string, chans: string, users: string, comment: string) &priority=-5
	{
	flush(c);
	}

event irc_invite_message(c: connection, is_orig: bool, prefix: string, nickname: string, channel: string) &priority=5
	{
	start(c, is_orig, "INVITE", channel, prefix);
	}

event irc_invite_message(c: connection, is_orig: bool, prefix: string, nickname: string, channel: string) &priority=-5
	{
	flush(c);
	}

event irc_oper_message(c: connection, is_orig: bool, user: string, password: string) &priority=5
	{
	# neither the operator name nor the password is logged
	start(c, is_orig, "OPER", "", "");
	}

event irc_oper_message(c: connection, is_orig: bool, user: string, password: string) &priority=-5
	{
	flush(c);
	}

event irc_who_message(c: connection, is_orig: bool, mask: string, oper: bool) &priority=5
	{
	start(c, is_orig, "WHO", mask, "");
	}

event irc_who_message(c: connection, is_orig: bool, mask: string, oper: bool) &priority=-5
	{
	flush(c);
	}

event irc_whois_message(c: connection, is_orig: bool, server: string, users: string) &priority=5
	{
	start(c, is_orig, "WHOIS", users, "");
	}

event irc_whois_message(c: connection, is_orig: bool, server: string, users: string) &priority=-5
	{
	flush(c);
	}

event irc_error_message(c: connection, is_orig: bool, prefix: string, message: string) &priority=5
	{
	start(c, is_orig, "ERROR", "", prefix);
	set_text(c, message);
	}

event irc_error_message(c: connection, is_orig: bool, prefix: string, message: string) &priority=-5
	{
	flush(c);
	}

event irc_squit_message(c: connection, is_orig: bool, prefix: string, server: string, message: string) &priority=5
	{
	start(c, is_orig, "SQUIT", server, prefix);
	}

event irc_squit_message(c: connection, is_orig: bool, prefix: string, server: string, message: string) &priority=-5
	{
	flush(c);
	}

event irc_starttls(c: connection) &priority=5
	{
	start(c, F, "STARTTLS", "", "");
	}

event irc_starttls(c: connection) &priority=-5
	{
	flush(c);
	}

# ---- what the server tells a member: user counts, names, topics ----

event irc_network_info(c: connection, is_orig: bool, users: count, services: count, servers: count) &priority=5
	{
	# 251: visible users (Zeek does not pass on the invisible count), services, servers
	start(c, is_orig, "251", "", "");
	set_count(c, users);
	set_text(c, fmt("users %d services %d servers %d", users, services, servers));
	}

event irc_network_info(c: connection, is_orig: bool, users: count, services: count, servers: count) &priority=-5
	{
	flush(c);
	}

event irc_server_info(c: connection, is_orig: bool, users: count, services: count, servers: count) &priority=5
	{
	# 255: the clients of this server
	start(c, is_orig, "255", "", "");
	set_count(c, users);
	set_text(c, fmt("users %d services %d servers %d", users, services, servers));
	}

event irc_server_info(c: connection, is_orig: bool, users: count, services: count, servers: count) &priority=-5
	{
	flush(c);
	}

event irc_channel_info(c: connection, is_orig: bool, chans: count) &priority=5
	{
	start(c, is_orig, "254", "", "");
	set_count(c, chans);
	}

event irc_channel_info(c: connection, is_orig: bool, chans: count) &priority=-5
	{
	flush(c);
	}

event irc_global_users(c: connection, is_orig: bool, prefix: string, msg: string) &priority=5
	{
	start(c, is_orig, "266", "", "");
	set_count(c, first_number(msg));
	}

event irc_global_users(c: connection, is_orig: bool, prefix: string, msg: string) &priority=-5
	{
	flush(c);
	}

event irc_names_info(c: connection, is_orig: bool, c_type: string, channel: string, users: string_set) &priority=5
	{
	local v: vector of string = vector();
	for ( u in users )
		if ( u != "" )
			v += u;
	sort(v, strcmp);
	start(c, is_orig, "353", channel, "");
	set_count(c, |v|);
	set_text(c, join_string_vec(v, " "));
	}

event irc_names_info(c: connection, is_orig: bool, c_type: string, channel: string, users: string_set) &priority=-5
	{
	flush(c);
	}

event irc_channel_topic(c: connection, is_orig: bool, channel: string, topic: string) &priority=5
	{
	start(c, is_orig, "332", channel, "");
	message_facts(c, topic, T);
	}

event irc_channel_topic(c: connection, is_orig: bool, channel: string, topic: string) &priority=-5
	{
	flush(c);
	}

event irc_who_line(c: connection, is_orig: bool, target_nick: string, channel: string, user: string,
                   host: string, server: string, nick: string, params: string, hops: count,
                   real_name: string) &priority=5
	{
	start(c, is_orig, "352", channel, "");
	}

event irc_who_line(c: connection, is_orig: bool, target_nick: string, channel: string, user: string,
                   host: string, server: string, nick: string, params: string, hops: count,
                   real_name: string) &priority=-5
	{
	flush(c);
	}

event irc_whois_user_line(c: connection, is_orig: bool, nick: string, user: string, host: string,
                          real_name: string) &priority=5
	{
	start(c, is_orig, "311", nick, "");
	}

event irc_whois_user_line(c: connection, is_orig: bool, nick: string, user: string, host: string,
                          real_name: string) &priority=-5
	{
	flush(c);
	}

event irc_whois_operator_line(c: connection, is_orig: bool, nick: string) &priority=5
	{
	start(c, is_orig, "313", nick, "");
	}

event irc_whois_operator_line(c: connection, is_orig: bool, nick: string) &priority=-5
	{
	flush(c);
	}

event irc_whois_channel_line(c: connection, is_orig: bool, nick: string, chans: string_set) &priority=5
	{
	start(c, is_orig, "319", nick, "");
	set_count(c, |chans|);
	}

event irc_whois_channel_line(c: connection, is_orig: bool, nick: string, chans: string_set) &priority=-5
	{
	flush(c);
	}

event irc_oper_response(c: connection, is_orig: bool, got_oper: bool) &priority=5
	{
	start(c, is_orig, got_oper ? "381" : "491", "", "");
	}

event irc_oper_response(c: connection, is_orig: bool, got_oper: bool) &priority=-5
	{
	flush(c);
	}

# ---- everything else ----

event irc_request(c: connection, is_orig: bool, prefix: string, command: string, arguments: string) &priority=5
	{
	local cmd = to_upper(command);
	switch ( cmd )
		{
		case "PING", "PONG", "CAP", "AWAY":
			# no channel or nick to name
			start(c, is_orig, cmd, "", prefix);
			break;
		case "TOPIC":
			start(c, is_orig, cmd, first_word(arguments), prefix);
			if ( rest(arguments) != "" )
				message_facts(c, rest(arguments), T);
			break;
		default:
			start(c, is_orig, cmd, first_word(arguments), prefix);
			break;
		}
	}

event irc_request(c: connection, is_orig: bool, prefix: string, command: string, arguments: string) &priority=-5
	{
	flush(c);
	}

event irc_message(c: connection, is_orig: bool, prefix: string, command: string, message: string) &priority=5
	{
	local cmd = to_upper(command);
	start(c, is_orig, cmd, cmd == "PING" || cmd == "PONG" ? "" : first_word(message), prefix);
	if ( cmd == "TOPIC" && rest(message) != "" )
		message_facts(c, rest(message), T);
	}

event irc_message(c: connection, is_orig: bool, prefix: string, command: string, message: string) &priority=-5
	{
	flush(c);
	}

event irc_reply(c: connection, is_orig: bool, prefix: string, code: count, params: string) &priority=5
	{
	# a reply's first parameter is the client's own nick; the line is about the next one, when that
	# is no trailing text
	local words = split_string(params, / /);
	local target = "";
	if ( |words| > 1 && |words[1]| > 0 && words[1][0] != ":" )
		target = words[1];
	local code_text = fmt("%03d", code);
	if ( code == 265 )
		{
		# RPL_LOCALUSERS: a count, not a target
		start(c, is_orig, code_text, "", prefix);
		set_count(c, first_number(rest(params)));
		return;
		}
	start(c, is_orig, code_text, target, prefix);
	switch ( code )
		{
		case 324:
			# RPL_CHANNELMODEIS: nick #channel +modes [params]
			set_text(c, rest(rest(params)));
			break;
		}
	}

event irc_reply(c: connection, is_orig: bool, prefix: string, code: count, params: string) &priority=-5
	{
	flush(c);
	}
