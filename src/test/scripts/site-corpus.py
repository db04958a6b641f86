#!/usr/bin/env python3
"""Makes a benign "busy company site" capture with real server software on loopback (127.0.0.0/8 only),
and Suricata's EVE log of it: the template of the benchmark's realistic mix (no IRC, no bots, no scans).

Servers (Debian packages, started by this script): dnsmasq 2.90 as the resolver, nginx 1.22 as every web
site (HTTP on 80, TLS on 443 with self-signed certificates, several names per address by SNI), and two
tiny responders of this program (NTP on UDP 123, a chat server that keeps one idle TCP connection open).
Clients: this program, one thread per company host, each socket bound to the host's own 127.1.x.y
address, speaking real DNS, HTTP/1.1 and TLS (Python's ssl, no certificate checks). tcpdump captures the
loopback interface; Suricata 7 reads the capture the way vantage-logs.sh runs it. Needs root (ports 53,
80, 123, 443), dnsmasq, nginx, openssl, tcpdump and suricata.

    src/test/scripts/site-corpus.py OUT_DIR [SECONDS]

writes OUT_DIR/capture.pcap and OUT_DIR/suricata/eve.json (stats events removed).

The network:
- The company 127.1.0.0/16 (HOME_NET): 50 desktops in 127.1.1-3.x with browsers of their own (Chrome,
  Edge, Firefox, Safari on Windows, macOS and Linux; user agents, Accept headers, languages), people
  browsing: look a name up (A, AAAA and for Safari and some Chromium hosts HTTPS records, from the
  host's own address, cached for the answer's TTL, one lookup at a time), fetch a page, then its style
  sheets, scripts, images and fonts from the page's own site and from CDN, font and API hosts over up
  to 6 parallel connections (kept alive between pages for a while, revalidated with If-Modified-Since
  later), then think (log-normal pauses, some long breaks). Now and then a typo (NXDOMAIN), a download
  (.zip, .exe, .pdf, .msi) or a click on a link. At start-up: Windows hosts look up WPAD (NXDOMAIN) and
  check connectivity (/connecttest.txt), the others ask /generate_204, Chromium browsers probe three
  random single-label names (NXDOMAIN). Some keep a webmail tab polling over one long TLS connection;
  most sync their clocks by NTP; a few hit closed ports (RST); one keeps an idle chat connection open.
- The outside, 127.0.0.x: 127.0.0.53 DNS; 127.0.0.80 www.example.com and shop.example.com (TLS, port 80
  redirects), 127.0.0.81 cdn.example.net, fonts.example.net and static.example.com (a CNAME of the CDN),
  127.0.0.82 news.example.org (plain HTTP), 127.0.0.83 api.example.com, 127.0.0.84 login.example.com,
  127.0.0.85 downloads.example.net (plain HTTP), 127.0.0.86 mail.example.org, 127.0.0.87
  wiki.example.org (plain HTTP), 127.0.0.88 connectivity.example.net (plain HTTP), 127.0.0.123
  time.example.net (NTP), 127.0.0.60 chat.example.com:5222.
Every client's pauses come from its own seeded random generator; the files the servers serve too.
"""
import gzip
import http.client
import math
import os
import random
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib

OUT = os.path.abspath(sys.argv[1])
DURATION = float(sys.argv[2]) if len(sys.argv) > 2 else 300.0
SEED = 20261215
TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
RULES = os.path.join(TOP, "suricata-rules", "bottrace-irc.rules")
HOME_NET = "127.1.0.0/16"
DNS_SERVER = "127.0.0.53"
NTP_SERVER, CHAT_SERVER = "127.0.0.123", "127.0.0.60"
T0 = None
STOP = threading.Event()
LOCK = threading.Lock()
COUNTS = {}


def rel():
    return time.time() - T0


def count(what, n=1):
    with LOCK:
        COUNTS[what] = COUNTS.get(what, 0) + n


def lognormal(r, median, sigma):
    return median * math.exp(r.gauss(0, sigma))


# ---------------------------------------------------------------- the outside: names, sites, files

# name: (address, TLS certificate key ("ec", "rsa") or None, port 80: "site", "redirect" or None, AAAA)
SITES = {
    "www.example.com": ("127.0.0.80", "ec", "redirect", "fd00:5e::80"),
    "shop.example.com": ("127.0.0.80", "rsa", "redirect", "fd00:5e::80"),
    "cdn.example.net": ("127.0.0.81", "ec", None, "fd00:5e::81"),
    "fonts.example.net": ("127.0.0.81", "ec", None, "fd00:5e::81"),
    "news.example.org": ("127.0.0.82", None, "site", None),
    "api.example.com": ("127.0.0.83", "ec", None, "fd00:5e::83"),
    "login.example.com": ("127.0.0.84", "rsa", None, None),
    "downloads.example.net": ("127.0.0.85", None, "site", None),
    "mail.example.org": ("127.0.0.86", "rsa", "redirect", "fd00:5e::86"),
    "wiki.example.org": ("127.0.0.87", None, "site", None),
    "connectivity.example.net": ("127.0.0.88", None, "site", None),
}
CNAMES = {"static.example.com": "cdn.example.net"}   # served by the CDN's server block
OTHER_NAMES = {"time.example.net": NTP_SERVER, "chat.example.com": CHAT_SERVER}
TYPOS = {"www.example.com": ["wwww.example.com", "www.exmaple.com", "ww.example.com"],
         "shop.example.com": ["shop.exmaple.com", "shp.example.com"],
         "news.example.org": ["news.exmaple.org", "nwes.example.org", "news.example.ogr.acme.example"],
         "wiki.example.org": ["wikki.example.org", "wiki.exampel.org"],
         "mail.example.org": ["mial.example.org", "mail.example.or.acme.example"]}
SEARCH_DOMAIN = "acme.example"   # the company's own domain: dnsmasq answers NXDOMAIN in it

PAGES = {
    "www.example.com": ["/", "/products/", "/products/widget-pro", "/products/widget-mini", "/about",
                        "/blog/", "/blog/2026/autumn-release", "/blog/2026/security-update", "/careers",
                        "/support"],
    "shop.example.com": ["/", "/c/widgets", "/c/accessories", "/p/1042", "/p/1077", "/p/2210", "/p/3105",
                         "/cart"],
    "news.example.org": ["/", "/world/", "/tech/", "/tech/2026/12/chips-shortage", "/business/markets",
                         "/sport/", "/local/weather", "/culture/film-review", "/opinion/letters"],
    "wiki.example.org": ["/", "/wiki/Onboarding", "/wiki/VPN_setup", "/wiki/Printers",
                         "/wiki/Expense_policy", "/wiki/Release_process", "/wiki/Oncall",
                         "/wiki/Office_map"],
    "mail.example.org": ["/", "/inbox"],
    "login.example.com": ["/"],
    "downloads.example.net": ["/"],
}
# a page's assets: style sheets, scripts, fonts, image pool (name pattern, how many), images per page,
# an API call its script makes, a favicon or not
ASSETS = {
    "www.example.com": dict(
        css=["/assets/site.css", "https://cdn.example.net/libs/bootstrap-5.3.min.css",
             "https://fonts.example.net/inter.css"],
        js=["https://cdn.example.net/libs/jquery-3.7.1.min.js", "/assets/app.js"],
        font=["https://fonts.example.net/s/inter-400.woff2", "https://fonts.example.net/s/inter-700.woff2"],
        img=("/img/photo-{}.png", 14), per_page=(2, 6), api="https://api.example.com/v1/recommendations.json",
        favicon=True),
    "shop.example.com": dict(
        css=["/assets/shop.css", "https://fonts.example.net/inter.css"],
        js=["https://cdn.example.net/libs/jquery-3.7.1.min.js", "/assets/shop.js", "/assets/cart.js"],
        font=["https://fonts.example.net/s/inter-400.woff2"],
        img=("https://static.example.com/shop/item-{}.png", 20), per_page=(3, 8),
        api="https://api.example.com/v1/cart.json", favicon=True),
    "news.example.org": dict(
        css=["/css/news.css"], js=["/js/news.js", "/js/ads.js"], font=[],
        img=("/images/story-{}.png", 24), per_page=(4, 9), api=None, favicon=False),
    "wiki.example.org": dict(
        css=["/skins/wiki.css"], js=["/skins/wiki.js"], font=[],
        img=("/images/diagram-{}.png", 6), per_page=(0, 2), api=None, favicon=True),
    "mail.example.org": dict(
        css=["/app/mail.css", "https://fonts.example.net/inter.css"], js=["/app/mail.js", "/app/vendor.js"],
        font=["https://fonts.example.net/s/inter-400.woff2"], img=("/app/avatar-{}.png", 5), per_page=(1, 3),
        api="/api/inbox.json", favicon=True),
    "login.example.com": dict(
        css=["/assets/login.css"], js=["/assets/login.js"], font=[], img=("/assets/logo-{}.png", 1),
        per_page=(1, 1), api=None, favicon=True),
    "downloads.example.net": dict(
        css=["/style.css"], js=[], font=[], img=("/icons/file-{}.png", 4), per_page=(4, 4), api=None,
        favicon=False),
}
DOWNLOADS = [("/files/quarterly-report-2026Q3.zip", 240_000), ("/files/widget-tool-setup-2.4.1.exe", 320_000),
             ("/files/widget-pro-manual.pdf", 150_000), ("/files/vpn-client-5.1.msi", 280_000),
             ("/files/price-list-2027.zip", 60_000)]
WORDS = ("the of and to in a is that for it as was with be by on not he this are or his from at which but "
         "have an they you were her all she there would their we him been has when who will more no if out "
         "so said what up its about into than them can only other new some could time these two may then "
         "do first any my now such like our over man me even most made after also did many before must "
         "through back years where much your way well down should because each just those people how too "
         "little state good very make world still own see men work long get here between both life being "
         "under never day same another know while last might us great old year off come since against go "
         "came right used take three company widget market report office network quarter release").split()


def text(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n))


def png(r, w, h, noise):
    """A real PNG: rows of a colour with a share of noise (how well it compresses)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = bytearray()
    base = bytes([r.randrange(256), r.randrange(256), r.randrange(256)])
    for _ in range(h):
        k = int(w * 3 * noise)
        raw += b"\x00" + r.randbytes(k) + base * ((w * 3 - k) // 3) + base[:(w * 3 - k) % 3]
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b""))


def page_html(r, site, path):
    a = ASSETS[site]
    title = site.split(".")[0].title() + " - " + (path.strip("/").replace("/", " / ") or "Home")
    head = "".join(f'<link rel="stylesheet" href="{u}">\n' for u in a["css"])
    head += "".join(f'<link rel="preload" href="{u}" as="font" type="font/woff2" crossorigin>\n'
                    for u in a["font"])
    head += "".join(f'<script src="{u}" defer></script>\n' for u in a["js"])
    pattern, pool = a["img"]
    lo, hi = a["per_page"]
    imgs = [pattern.format(i) for i in r.sample(range(1, pool + 1), min(pool, r.randint(lo, hi)))]
    nav = "".join(f'<a href="{p}">{p.strip("/") or "home"}</a> ' for p in PAGES[site])
    body = ""
    for _ in range(r.randint(3, 14)):
        body += f"<h2>{text(r, 5).title()}</h2>\n<p>{text(r, r.randint(60, 260))}.</p>\n"
        if imgs and r.random() < 0.6:
            body += f'<img src="{imgs.pop()}" alt="{text(r, 3)}">\n'
    body += "".join(f'<img src="{u}" alt="">\n' for u in imgs)
    if site == "downloads.example.net":
        body += "".join(f'<p><a class="dl" href="{p}">{p.rsplit("/", 1)[1]}</a> ({n // 1000} KB)</p>\n'
                        for p, n in DOWNLOADS)
    api = f' data-api="{a["api"]}"' if a["api"] else ""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n<title>{title}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{head}</head>\n'
            f'<body><nav>{nav}</nav>\n<main{api}>\n{body}</main>\n<footer>&copy; 2026 {site}</footer>'
            f'</body></html>\n').encode()


def write_file(root, path, data):
    f = os.path.join(root, path.lstrip("/"))
    if path.endswith("/"):
        f = os.path.join(f, "index.html")
    elif "." not in path.rsplit("/", 1)[1]:
        f += ".html"
    os.makedirs(os.path.dirname(f), exist_ok=True)
    with open(f, "wb") as o:
        o.write(data)


def make_sites(www):
    """Every site's files under www/NAME (static.example.com is served from the CDN's folder)."""
    r = random.Random(SEED + 1)
    roots = {}
    for site in SITES:
        roots[site] = os.path.join(www, site)
        os.makedirs(roots[site], exist_ok=True)
    for site, pages in PAGES.items():
        for p in pages:
            write_file(roots[site], p, page_html(r, site, p))
    files = set()
    for site, a in ASSETS.items():
        pattern, pool = a["img"]
        for u in a["css"] + a["js"] + a["font"] + [pattern.format(i) for i in range(1, pool + 1)] + \
                ([a["api"]] if a["api"] else []) + (["/favicon.ico"] if a["favicon"] else []):
            host = site
            if u.startswith("https://"):
                host, u = u[8:].split("/", 1)
                u = "/" + u
            files.add((CNAMES.get(host, host), u))
    for host, u in sorted(files):
        ext = u.rsplit(".", 1)[1]
        if ext == "css":
            data = "".join(f".{r.choice(WORDS)}-{i} {{ margin: {r.randint(0, 24)}px; "
                           f"color: #{r.randrange(1 << 24):06x}; font: {r.randint(10, 32)}px Inter, sans-serif; }}\n"
                           for i in range(r.randint(80, 1500))).encode()
        elif ext == "js":
            data = "".join(f"function {r.choice(WORDS)}_{i}(a,b){{var {r.choice(WORDS)}=a*{r.randint(1, 999)};"
                           f"return b?\"{text(r, 4)}\":a+{i};}}\n" for i in range(r.randint(150, 2500))).encode()
        elif ext == "png":
            big = "photo" in u or "story" in u or "item" in u
            data = png(r, r.randint(240, 640) if big else r.randint(32, 200), r.randint(160, 360) if big else
                       r.randint(32, 120), r.uniform(0.02, 0.12) if big else r.uniform(0.05, 0.3))
        elif ext == "woff2":
            data = b"wOF2\x00\x01\x00\x00" + r.randbytes(r.randint(18_000, 48_000))
        elif ext == "ico":
            data = b"\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00" + r.randbytes(1136)
        else:  # json
            data = ("{\"items\": [" + ", ".join(f'{{"id": {r.randint(1000, 99999)}, "title": "{text(r, 4)}", '
                                                f'"score": {r.random():.3f}}}' for _ in range(r.randint(5, 60)))
                    + "], \"ttl\": 60}\n").encode()
        write_file(roots[host], u, data)
    write_file(roots["mail.example.org"], "/api/poll.json", b'{"new": 0, "unread": 3, "next_poll_s": 45}\n')
    write_file(roots["connectivity.example.net"], "/connecttest.txt", b"Connect Test Success")
    for p, n in DOWNLOADS:
        ext = p.rsplit(".", 1)[1]
        f = os.path.join(roots["downloads.example.net"], p.lstrip("/"))
        os.makedirs(os.path.dirname(f), exist_ok=True)
        if ext == "zip":
            with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("report/summary.txt", text(r, 3000))
                z.writestr("report/figures.bin", r.randbytes(n))
        else:
            head = {"exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00",
                    "msi": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"}[ext]
            with open(f, "wb") as o:
                o.write(head + r.randbytes(n - len(head)))
    return roots


def certificate(tmp, name, kind):
    cert, key = os.path.join(tmp, name + ".crt"), os.path.join(tmp, name + ".key")
    names = [name] + [c for c, t in CNAMES.items() if t == name]
    newkey = ["ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] if kind == "ec" else ["rsa:2048"]
    subprocess.run(["openssl", "req", "-x509", "-newkey", *newkey, "-nodes", "-days", "398", "-subj",
                    f"/C=US/O=Example Inc/CN={name}",
                    "-addext", "subjectAltName=" + ",".join("DNS:" + n for n in names),
                    "-keyout", key, "-out", cert], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def nginx_conf(tmp, roots):
    servers = []
    for name, (ip, tls, plain, _) in SITES.items():
        names = " ".join([name] + [c for c, t in CNAMES.items() if t == name])
        if tls:
            cert, key = certificate(tmp, name, tls)
            servers.append(f"""  server {{ listen {ip}:443 ssl; server_name {names}; root {roots[name]};
    ssl_certificate {cert}; ssl_certificate_key {key};
    location / {{ try_files $uri $uri.html $uri/ =404; }} }}""")
        if plain == "redirect":
            servers.append(f"  server {{ listen {ip}:80; server_name {names}; return 301 https://$host$request_uri; }}")
        elif plain == "site":
            servers.append(f"""  server {{ listen {ip}:80; server_name {names}; root {roots[name]};
    location = /generate_204 {{ return 204; }}
    location / {{ try_files $uri $uri.html $uri/ =404; }} }}""")
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off;
user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  types {{ text/html html; text/css css; application/javascript js; application/json json; image/png png;
    image/x-icon ico; font/woff2 woff2; application/zip zip; application/pdf pdf; text/plain txt;
    application/x-msdownload exe; application/x-msi msi; }}
  default_type application/octet-stream;
  access_log {tmp}/nginx-access.log;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  sendfile on; tcp_nopush on;
  keepalive_timeout 65; keepalive_requests 200;
  gzip on; gzip_min_length 512; gzip_types text/css application/javascript application/json;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:SSL:2m;
{chr(10).join(servers)}
}}
""")
    return conf


def start_servers(tmp):
    procs = []
    roots = make_sites(os.path.join(tmp, "www"))
    dns = ["dnsmasq", "-k", "-C", "/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
           "--listen-address=" + DNS_SERVER, "--port=53", "--user=root", "--local-ttl=300", "--cache-size=0",
           "--pid-file=" + os.path.join(tmp, "dnsmasq.pid")]
    dns += [f"--local=/{d}/" for d in ("com", "net", "org", "example")]
    for name, (ip, _, _, v6) in SITES.items():
        dns.append(f"--host-record={name},{ip}" + (f",{v6}" if v6 else ""))
    for name, ip in OTHER_NAMES.items():
        dns.append(f"--host-record={name},{ip}")
    dns += [f"--cname={a},{t}" for a, t in CNAMES.items()]
    procs.append(subprocess.Popen(dns, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    procs.append(subprocess.Popen(["nginx", "-e", os.path.join(tmp, "nginx-error.log"), "-c", nginx_conf(tmp, roots)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    threading.Thread(target=ntp_server, daemon=True).start()
    threading.Thread(target=chat_server, daemon=True).start()
    time.sleep(1.5)
    for p in procs:
        if p.poll() is not None:
            raise RuntimeError(f"{p.args[0]} exited with {p.returncode}")
    return procs


def ntp_server():
    """Answers NTP client requests (mode 3) with a stratum-2 server reply (mode 4)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((NTP_SERVER, 123))
    s.settimeout(1)
    while not STOP.is_set():
        try:
            data, peer = s.recvfrom(512)
        except socket.timeout:
            continue
        if len(data) < 48:
            continue
        now = time.time() + 2208988800
        ts = struct.pack(">II", int(now), int((now % 1) * 2 ** 32))
        s.sendto(struct.pack(">BBbb", 0x24, 2, 6, -23) + struct.pack(">II", 0x0000_0a00, 0x0000_0c00)
                 + socket.inet_aton("127.0.0.124") + ts + data[40:48] + ts + ts, peer)


def chat_server():
    """A chat server that greets, then only reads: the company's one idle long-lived connection."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((CHAT_SERVER, 5222))
    s.listen(8)
    s.settimeout(1)
    while not STOP.is_set():
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue

        def serve(c=c):
            c.sendall(b"<?xml version='1.0'?><stream:stream from='chat.example.com' version='1.0'>")
            while not STOP.is_set():
                try:
                    if not c.recv(4096):
                        break
                except OSError:
                    break
            c.close()
        threading.Thread(target=serve, daemon=True).start()


# ---------------------------------------------------------------- the company's hosts

BROWSERS = {
    ("windows", "chrome"): "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                           "Chrome/131.0.0.0 Safari/537.36",
    ("windows", "edge"): "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
    ("windows", "firefox"): "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ("macos", "safari"): "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                         "Version/18.1.1 Safari/605.1.15",
    ("macos", "chrome"): "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/131.0.0.0 Safari/537.36",
    ("linux", "firefox"): "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    ("linux", "chrome"): "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/131.0.0.0 Safari/537.36",
}
MIX = [(("windows", "chrome"), 18), (("windows", "edge"), 10), (("windows", "firefox"), 5),
       (("macos", "safari"), 6), (("macos", "chrome"), 4), (("linux", "firefox"), 4), (("linux", "chrome"), 3)]
ACCEPT = {"html": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
          "css": "text/css,*/*;q=0.1", "js": "*/*", "json": "application/json, text/plain, */*",
          "png": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "ico": "image/*,*/*;q=0.8",
          "woff2": "application/font-woff2;q=1.0,application/font-woff;q=0.9,*/*;q=0.8"}
VISITS = [("www.example.com", 20), ("shop.example.com", 11), ("news.example.org", 17), ("wiki.example.org", 12),
          ("mail.example.org", 9), ("login.example.com", 4), ("downloads.example.net", 3)]
# sites a user reaches by typing the name, not always the scheme: port 80 answers with a redirect
TYPED_HTTP = {"www.example.com", "shop.example.com", "mail.example.org"}
CLOSED = [("127.0.0.80", 8080), ("127.0.0.86", 993), ("127.0.0.82", 8443), ("127.0.0.90", 22), ("127.0.0.85", 21)]


class Conn(http.client.HTTPConnection):
    """A keep-alive HTTP/1.1 connection from the host's own address (TLS with SNI when ctx is given)."""

    def __init__(self, host, src, ip, port, ctx):
        self.default_port = port   # the Host header without a port, as browsers send it
        super().__init__(host, port, timeout=10)
        self.src, self.ip, self.ctx, self.used = src, ip, ctx, time.time()

    def connect(self):
        s = socket.socket()
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1460)
        s.settimeout(self.timeout)
        s.bind((self.src, 0))
        s.connect((self.ip, self.port))
        count("tcp_connections")
        if self.ctx:
            s = self.ctx.wrap_socket(s, server_hostname=self.host)
            count("tls_handshakes")
        self.sock = s


class Host:
    def __init__(self, i, ip, os_, browser):
        self.r = random.Random(SEED * 1000 + i)
        r = self.r
        self.ip, self.os, self.browser, self.ua = ip, os_, browser, BROWSERS[(os_, browser)]
        self.lang = r.choice(["en-US,en;q=0.9"] * 6 + ["de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9,en;q=0.7",
                                                       "en-GB,en;q=0.9"])
        # A, AAAA unless the host is IPv4-only, HTTPS records from Safari and Chromium's own resolver
        self.qtypes = [1] + ([28] if r.random() < 0.8 else []) + \
            ([65] if browser == "safari" or (browser != "firefox" and r.random() < 0.5) else [])
        self.edns = os_ != "windows"
        self.ids = random.Random(SEED * 1000 + 300 + i)   # DNS ids, ports: apart from the pauses' draws
        self.dns = {}      # name -> (address or None, expiry)
        self.dns_lock = threading.Lock()   # parallel connections wait for one lookup, as a stub resolver does
        self.cache = {}    # url -> (Last-Modified, the page if it is one)
        self.conns = {}    # (scheme, name) -> [Conn]
        self.seen = set()  # sites visited before
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.ctx.check_hostname = False
        self.ctx.verify_mode = ssl.CERT_NONE
        self.ctx.set_alpn_protocols(["http/1.1"])
        if r.random() < 0.15:   # an old client stack
            self.ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        self.busy = r.choice([0.6, 1.0, 1.0, 1.4, 2.0])   # how much of the day this person browses

    # -- DNS
    def lookup(self, name, qtypes=None):
        """A stub resolver's queries from one socket (A first); the A answer's address, None for NXDOMAIN."""
        with self.dns_lock:
            return self._lookup(name, qtypes)

    def _lookup(self, name, qtypes):
        hit = self.dns.get(name)
        if hit and hit[1] > time.time():
            return hit[0]
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((self.ip, 0))
        s.settimeout(2)
        ids = {}
        try:
            for qt in qtypes or self.qtypes:
                qid = self.ids.randrange(65536)
                ids[qid] = qt
                q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 1 if self.edns else 0)
                q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\x00"
                q += struct.pack(">HH", qt, 1)
                if self.edns:
                    q += b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00"
                s.sendto(q, (DNS_SERVER, 53))
                count("dns_queries")
            addr, ttl, rcode = None, 60, 0
            for _ in ids:
                data = s.recv(1500)
                qid, flags, qd, an = struct.unpack(">HHHH", data[:8])
                if ids.get(qid) != 1:
                    continue
                rcode, pos = flags & 0xF, 12
                for _ in range(qd):
                    pos = skip_name(data, pos) + 4
                for _ in range(an):
                    pos = skip_name(data, pos)
                    t, _, t_ttl, n = struct.unpack(">HHIH", data[pos:pos + 10])
                    pos += 10
                    if t == 1 and addr is None:
                        addr, ttl = socket.inet_ntoa(data[pos:pos + 4]), t_ttl
                    pos += n
        except socket.timeout:
            return None
        finally:
            s.close()
        self.dns[name] = (addr, time.time() + (ttl if rcode == 0 else 30))
        return addr

    # -- HTTP
    def conn(self, scheme, name, k=0):
        """The k-th connection to an origin; an idle one the server may have closed is replaced."""
        pool = self.conns.setdefault((scheme, name), [])
        while len(pool) <= k:
            pool.append(None)
        c = pool[k]
        if c is None or time.time() - c.used > 55:
            if c is not None:
                c.close()
            ip = self.lookup(name)
            if ip is None:
                return None
            c = pool[k] = Conn(name, self.ip, ip, 443 if scheme == "https" else 80,
                               self.ctx if scheme == "https" else None)
        return c

    def get(self, c, url, path, referer=None, kind="html"):
        headers = {"User-Agent": self.ua, "Accept": ACCEPT.get(kind, "*/*"), "Accept-Language": self.lang,
                   "Accept-Encoding": "gzip, deflate"}
        if referer:
            headers["Referer"] = referer
        if url in self.cache:
            headers["If-Modified-Since"] = self.cache[url][0]
        for attempt in (0, 1):
            try:
                c.request("GET", path, headers=headers)
                resp = c.getresponse()
                body = resp.read()
                if resp.getheader("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                break
            except (http.client.RemoteDisconnected, ConnectionError, http.client.CannotSendRequest,
                    http.client.BadStatusLine):
                c.close()
                if attempt:
                    raise
        c.used = time.time()
        count("http_requests")
        if resp.status == 304:
            return self.cache[url][1]
        if resp.status == 200 and resp.getheader("Last-Modified"):
            self.cache[url] = (resp.getheader("Last-Modified"), body if kind == "html" else b"")
        if resp.status in (301, 302):
            return resp.getheader("Location")
        return body

    def fetch_all(self, scheme, name, urls, referer):
        """The page's resources of one origin over up to 6 parallel connections (3 for plain HTTP)."""
        n = min(6 if scheme == "https" else 3, max(1, (len(urls) + 1) // 2))
        groups = [urls[i::n] for i in range(n)]

        def run(k, group):
            c = self.conn(scheme, name, k)
            if c is None:
                return
            for url, path, kind in group:
                try:
                    self.get(c, url, path, referer, kind)
                except (OSError, http.client.HTTPException) as e:
                    print(f"{rel():.1f} {self.ip} {url}: {e}", file=sys.stderr)
                    c.close()
                    return
        threads = [threading.Thread(target=run, args=(k, g), daemon=True) for k, g in enumerate(groups) if g]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)

    def visit(self, site, path, referer=None):
        r = self.r
        if site in TYPOS and r.random() < 0.05:
            self.lookup(r.choice(TYPOS[site]))   # NXDOMAIN, then the user types it again
            time.sleep(r.uniform(1.5, 5))
        scheme = "https" if SITES[site][1] else "http"
        if scheme == "https" and site in TYPED_HTTP and referer is None and r.random() < 0.15:
            c = self.conn("http", site)
            if c:
                self.get(c, f"http://{site}{path}", path)   # 301 to https
        url = f"{scheme}://{site}{path}"
        c = self.conn(scheme, site)
        if c is None:
            return None
        html = self.get(c, url, path, referer)
        if not isinstance(html, bytes):
            return None
        count("page_views")
        refs = re.findall(rb'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
        refs += re.findall(rb'data-api="([^"]+)"', html)
        if site not in self.seen:   # a site without one answers 404, and the browser remembers that
            refs.append(b"/favicon.ico")
            if self.browser == "safari":
                refs.append(b"/apple-touch-icon.png")   # a 404 everywhere
        self.seen.add(site)
        by_origin = {}
        for ref in refs:
            ref = ref.decode()
            o_scheme, o_name, o_path = (ref.split("/", 3)[0][:-1], ref.split("/", 3)[2], "/" + ref.split("/", 3)[3]) \
                if "://" in ref else (scheme, site, ref)
            o_url = f"{o_scheme}://{o_name}{o_path}"
            if o_url in self.cache and r.random() < 0.8:
                continue   # fresh in the browser's cache
            kind = o_path.rsplit(".", 1)[-1] if "." in o_path.rsplit("/", 1)[-1] else "html"
            by_origin.setdefault((o_scheme, o_name), []).append((o_url, o_path, kind))
        threads = [threading.Thread(target=self.fetch_all, args=(s, n, u, url), daemon=True)
                   for (s, n), u in by_origin.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        if site == "downloads.example.net" or (site == "wiki.example.org" and r.random() < 0.1):
            p, _ = r.choice(DOWNLOADS)
            time.sleep(r.uniform(2, 8))
            c = self.conn("http", "downloads.example.net")
            if c:
                self.get(c, "http://downloads.example.net" + p, p, url, "bin")
                count("downloads")
        links = re.findall(rb'<a href="(/[^"]*)"', html)
        return url, [l.decode() for l in links]

    def startup(self):
        r = self.r
        if self.os == "windows":
            self.lookup(f"wpad.{SEARCH_DOMAIN}", [1])
            ip = self.lookup("connectivity.example.net", [1])
            if ip:
                c = Conn("connectivity.example.net", self.ip, ip, 80, None)
                self.get(c, "http://connectivity.example.net/connecttest.txt", "/connecttest.txt", kind="txt")
                c.close()
        else:
            ip = self.lookup("connectivity.example.net", [1])
            if ip:
                c = Conn("connectivity.example.net", self.ip, ip, 80, None)
                self.get(c, "http://connectivity.example.net/generate_204", "/generate_204", kind="txt")
                c.close()
        if self.browser in ("chrome", "edge"):
            for _ in range(3):   # Chromium's intranet redirect detector: random single-label names
                n = "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(7, 15)))
                self.lookup(f"{n}.{SEARCH_DOMAIN}", [1])

    def browse(self):
        r = self.r
        self.startup()
        here = None
        while rel() < DURATION - 3:
            click = here and here[1] and r.random() < 0.45   # a click on a link of the page
            if click:
                site, path, referer = here[0].split("/")[2], r.choice(here[1]), here[0]
            else:
                site = r.choices([s for s, _ in VISITS], [w for _, w in VISITS])[0]
                path, referer = r.choice(PAGES[site]), None
            try:
                here = self.visit(site, path, referer) or here
            except (OSError, http.client.HTTPException) as e:
                print(f"{rel():.1f} {self.ip} {site}{path}: {e!r}", file=sys.stderr)
            pause = lognormal(r, 40 / self.busy, 0.9)
            if r.random() < 0.08:
                pause += r.uniform(60, 150)   # a meeting, a coffee
            self.sleep(min(pause, 200), reap=True)

    def sleep(self, s, reap=False):
        end = min(time.time() + s, T0 + DURATION - 2)
        while time.time() < end and not STOP.is_set():
            time.sleep(max(0.0, min(1.0, end - time.time())))
            if reap:
                self.reap()

    def reap(self):
        """Closes the connections nginx has closed after its 65 s keep-alive, as a browser does at once."""
        for pool in self.conns.values():
            for k, c in enumerate(pool):
                if c is not None and time.time() - c.used > 66:
                    c.close()
                    pool[k] = None

    def mail_tab(self):
        """A webmail tab: a poll every 30-60 s over one kept-alive TLS connection."""
        r = random.Random(SEED * 1000 + 500 + int(self.ip.split(".")[3]))
        self.sleep(r.uniform(5, 40))
        c = None
        while rel() < DURATION - 5:
            try:
                if c is None:
                    ip = self.lookup("mail.example.org") or "127.0.0.86"
                    c = Conn("mail.example.org", self.ip, ip, 443, self.ctx)
                self.get(c, "https://mail.example.org/api/poll.json", "/api/poll.json",
                         "https://mail.example.org/inbox", "json")
            except (OSError, http.client.HTTPException):
                c = None
            self.sleep(r.uniform(30, 60))

    def ntp(self):
        r = random.Random(SEED * 1000 + 700 + int(self.ip.split(".")[3]))
        self.sleep(r.uniform(1, 20))
        while rel() < DURATION - 3:
            ip = self.lookup("time.example.net", [1])
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((self.ip, 0 if self.os == "windows" else 123 if r.random() < 0.3 else 0))
            s.settimeout(2)
            now = time.time() + 2208988800
            s.sendto(struct.pack(">BBbb", 0x23, 0, 6, -20) + b"\x00" * 36
                     + struct.pack(">II", int(now), int((now % 1) * 2 ** 32)), (ip or NTP_SERVER, 123))
            count("ntp")
            try:
                s.recv(512)
            except socket.timeout:
                pass
            s.close()
            self.sleep(r.choice([64, 128, 128, 256]) * r.uniform(0.9, 1.1))


def skip_name(d, p):
    while True:
        n = d[p]
        if n == 0:
            return p + 1
        if n & 0xC0 == 0xC0:
            return p + 2
        p += n + 1


def closed_port(src, dst, port):
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(2)
    try:
        s.connect((dst, port))
    except OSError:
        count("closed_port_attempts")
    finally:
        s.close()


def chat_client(src):
    """An instant messenger's connection, open all along, a whitespace keep-alive every 90 s."""
    s = socket.socket()
    s.bind((src, 0))
    s.connect((CHAT_SERVER, 5222))
    s.sendall(b"<?xml version='1.0'?><stream:stream to='chat.example.com' version='1.0'>")
    s.recv(4096)
    while rel() < DURATION - 2 and not STOP.is_set():
        time.sleep(1)
        if int(rel()) % 90 == 0:
            s.sendall(b" ")
    return s   # left open: the capture ends with it established


def at(t, fn, *args):
    def run():
        d = T0 + t - time.time()
        if d > 0:
            time.sleep(d)
        try:
            fn(*args)
        except Exception as e:  # a client's failure is reported, not fatal
            print(f"{rel():.1f}: {fn.__name__} {args[:1]}: {e!r}", file=sys.stderr)
    threading.Thread(target=run, daemon=True).start()


def schedule():
    r = random.Random(SEED)
    addrs = [f"127.1.{net}.{h}" for net in (1, 2, 3) for h in range(10, 40)]
    ips = sorted(r.sample(addrs, 50), key=lambda a: tuple(map(int, a.split("."))))
    kinds = [k for k, w in MIX for _ in range(w)]
    r.shuffle(kinds)
    hosts = [Host(i, ip, *kinds[i]) for i, ip in enumerate(ips)]
    for h in hosts:
        at(r.uniform(0, 30), h.browse)
        if r.random() < 0.3:
            at(0, h.mail_tab)
        if h.os != "windows" or r.random() < 0.4:
            at(0, h.ntp)
    for _ in range(12):
        dst, port = r.choice(CLOSED)
        at(r.uniform(5, DURATION - 10), closed_port, r.choice(ips), dst, port)
    at(2, chat_client, "127.1.0.5")


# ---------------------------------------------------------------- run

def suricata(out):
    """Suricata 7 over the capture, as vantage-logs.sh runs it; stats events dropped."""
    sdir = os.path.join(out, "suricata")
    shutil.rmtree(sdir, ignore_errors=True)
    os.makedirs(sdir)
    subprocess.run(["suricata", "--runmode", "single", "-r", os.path.join(out, "capture.pcap"), "-k", "none",
                    "-l", sdir, "-S", RULES, "--set", f"vars.address-groups.HOME_NET=[{HOME_NET}]",
                    "--set", "vars.address-groups.EXTERNAL_NET=any"],
                   check=True, env=dict(os.environ, TZ="UTC"), stdout=subprocess.DEVNULL)
    for f in ("fast.log", "stats.log", "suricata.log"):
        if os.path.exists(os.path.join(sdir, f)):
            os.remove(os.path.join(sdir, f))
    eve = os.path.join(sdir, "eve.json")
    with open(eve) as f:
        lines = [l for l in f if '"event_type":"stats"' not in l]
    with open(eve, "w") as f:
        f.writelines(lines)
    kinds = {}
    for l in lines:
        k = re.search(r'"event_type":"([^"]+)"', l).group(1)
        kinds[k] = kinds.get(k, 0) + 1
    print(f"wrote {eve}: {len(lines)} events {dict(sorted(kinds.items()))}")


def main():
    global T0
    if os.geteuid() != 0:
        sys.exit("needs root: the servers listen on privileged ports and tcpdump captures lo")
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="bottrace-site-")
    procs, dump = [], None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        procs = start_servers(tmp)
        pcap = os.path.join(OUT, "capture.pcap")
        dump = subprocess.Popen(["tcpdump", "-i", "lo", "-s", "0", "-U", "-w", pcap, "net", "127.0.0.0/8"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)
        T0 = time.time()
        schedule()
        time.sleep(DURATION)
        STOP.set()
        time.sleep(1)
    finally:
        STOP.set()
        if dump:
            dump.send_signal(signal.SIGINT)
            try:
                dump.wait(10)
            except subprocess.TimeoutExpired:
                dump.kill()
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {pcap}: {os.path.getsize(pcap)} bytes; client side: {dict(sorted(COUNTS.items()))}")
    suricata(OUT)


if __name__ == "__main__":
    main()
