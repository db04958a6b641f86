#!/usr/bin/env bash
# The sensors' logs of the vantage-point capture, per vantage point, with real Zeek and real Suricata:
#   src/test/scripts/vantage-logs.sh DIR
# reads DIR/capture.pcap (from vantage-corpus.py) and writes, for each view,
#   DIR/VIEW/capture.pcap              the packets a sensor there sees (tcpdump filter below)
#   DIR/VIEW/zeek-package{,-json}/     every log Zeek writes with bottrace's package (TSV, JSON)
#   DIR/VIEW/zeek/                     Zeek's default logs only (no package)
#   DIR/VIEW/suricata/eve.json         Suricata with bottrace's rules (HOME_NET: the company network in the
#                                      company view, everyone elsewhere)
# Views: company (a sensor at the company's edge: its hosts 127.1.0.0/16),
# public-server (next to the public IRC server), cc-server (next to the C&C server); VIEWS="company" makes
# only some. ZEEK_EXTRA adds scripts and redefs to every Zeek run (flow-corpus.py's capture:
# VIEWS=company ZEEK_EXTRA="policy/protocols/ssl/validate-certs BottraceOpen::open_interval=60sec").
set -euo pipefail
dir=$(realpath "$1")
top=$(cd "$(dirname "$0")/../../.." && pwd)
zeek=${ZEEK:-$(command -v zeek || echo /opt/zeek/bin/zeek)}
declare -A filter=([company]="net 127.1.0.0/16" [public-server]="host 127.0.0.10"
  [cc-server]="host 127.0.0.20")
read -r -a extra <<< "${ZEEK_EXTRA:-}"
plain=()  # without the package, its redefs do not apply
for a in "${extra[@]}"; do [[ "$a" == *BottraceOpen::* || "$a" == *BottraceIRC::* ]] || plain+=("$a"); done
for view in ${VIEWS:-company public-server cc-server}; do
  v="$dir/$view"
  rm -rf "$v" && mkdir -p "$v"
  tcpdump -r "$dir/capture.pcap" -w "$v/capture.pcap" "${filter[$view]}" 2>/dev/null
  for form in zeek-package zeek-package-json zeek; do
    mkdir -p "$v/$form"
    args=("$top/zeek-scripts" "${extra[@]}")
    [ "$form" = zeek ] && args=("${plain[@]}")
    [ "$form" = zeek-package-json ] && args+=(LogAscii::use_json=T)
    (cd "$v/$form" && "$zeek" -D -C -r ../capture.pcap "${args[@]}")
    rm -f "$v/$form/packet_filter.log" "$v/$form/reporter.log" "$v/$form/loaded_scripts.log"
  done
  mkdir -p "$v/suricata"
  # the company judges its own hosts; a sensor beside a server (or seeing everything) judges every client
  home='[0.0.0.0/0]'
  [ "$view" = company ] && home='[127.1.0.0/16]'
  # one thread: events in the order a live sensor writes them (pcap mode with several threads interleaves
  # its threads' events minutes apart)
  TZ=UTC suricata --runmode single -r "$v/capture.pcap" -k none -l "$v/suricata" -S "$top/suricata-rules/bottrace-irc.rules" \
    --set "vars.address-groups.HOME_NET=$home" --set 'vars.address-groups.EXTERNAL_NET=any' >/dev/null
  rm -f "$v/suricata/fast.log" "$v/suricata/stats.log" "$v/suricata/suricata.log"
  # stats events carry the run's own counters and time, not the traffic's
  grep -v '"event_type":"stats"' "$v/suricata/eve.json" > "$v/suricata/eve.tmp" && mv "$v/suricata/eve.tmp" "$v/suricata/eve.json"
done
"$zeek" --version
suricata -V
