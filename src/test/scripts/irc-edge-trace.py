#!/usr/bin/env python3
"""A short capture of the IRC forms the Zeek package has to take apart, with real ngircd on loopback:
mIRC colour codes around report tags, CTCP ACTION, a Kaiten-style `!* TSUNAMI`, a ShellBot-style
`!bot @udpflood`, a private command, a NOTICE report, a DCC SEND offer, a topic change, KICK and PART.
Needs root (tcpdump) and ngircd.   src/test/scripts/irc-edge-trace.py OUT.pcap
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

out = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp(prefix="bottrace-edge-")
conf = os.path.join(tmp, "edge.conf")
with open(conf, "w") as f:
    f.write("[Global]\nName = irc.edge.example\nInfo = edge\nListen = 127.0.0.40\nPorts = 6667\n"
            "AdminInfo1 = t\nAdminInfo2 = t\nAdminEMail = root@localhost\n[Limits]\nMaxNickLength = 30\n"
            "[Options]\nDNS = no\nIdent = no\nPAM = no\n")
srv = subprocess.Popen(["ngircd", "-n", "-f", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1.5)
dump = subprocess.Popen(["tcpdump", "-i", "lo", "-s", "0", "-U", "-w", out, "host", "127.0.0.40"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(2)


def client(src, nick, user):
    s = socket.socket()
    s.bind((src, 0))
    s.connect(("127.0.0.40", 6667))
    s.sendall(f"NICK {nick}\r\nUSER {user} 0 0 :{nick}\r\n".encode())
    time.sleep(0.8)
    return s


def send(s, line, wait=0.4):
    s.sendall((line + "\r\n").encode())
    time.sleep(wait)


boss = client("127.0.6.1", "boss", "boss")
send(boss, "JOIN #k")
send(boss, "MODE #k +sk sekrit")
bot = client("127.0.6.2", "[RUS|XP]-5521", "qwz")
send(bot, "JOIN #k sekrit")
send(boss, "TOPIC #k :\x0304.advscan lsass 100 5 0 -r\x03")
send(bot, "PRIVMSG #k :\x02[SCAN]:\x02 Random Port Scan started on 127.0.x.x:445 with a delay of 5 seconds.")
send(boss, "PRIVMSG #k :!* TSUNAMI 127.0.9.9 60")
send(bot, "NOTICE boss :\x0312-[DDoS]-\x03 flooding 127.0.9.9 for 60 seconds")
send(boss, "PRIVMSG #k :!bot @udpflood 127.0.9.9 1024 60")
send(boss, "PRIVMSG [RUS|XP]-5521 :.download ftp://127.0.0.30/pub/u.exe c:\\u.exe 1")
send(bot, "PRIVMSG boss :[DOWNLOAD]: Downloading URL: ftp://127.0.0.30/pub/u.exe to: c:\\u.exe.")
send(boss, "PRIVMSG #k :\x01ACTION waves at the bots\x01")
send(boss, "PRIVMSG [RUS|XP]-5521 :\x01DCC SEND update.exe 2130706433 5000 61440\x01")
send(boss, "KICK #k [RUS|XP]-5521 :bye")
send(bot, "JOIN #k sekrit")
send(bot, "PART #k :later")
send(bot, "QUIT :gone")
send(boss, "QUIT :done", 1.0)
dump.send_signal(signal.SIGINT)
dump.wait(10)
srv.terminate()
print(f"wrote {out}: {os.path.getsize(out)} bytes")
