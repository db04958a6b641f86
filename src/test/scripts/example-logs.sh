#!/usr/bin/env bash
# examples/logs from the vantage-point corpus (src/test/resources/data/vantage/capture.pcap), as two
# company sensors would write them: the main office's Zeek (TSV, with bottrace's package) and Suricata
# (bottrace's rules) see 127.1.0.23, the branch office's Zeek (JSON, with the package) sees 127.1.0.24
# and 127.1.0.50. Real Zeek 8.0.10 and Suricata 7.0.10.   src/test/scripts/example-logs.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
zeek=${ZEEK:-$(command -v zeek || echo /opt/zeek/bin/zeek)}
pcap=$top/src/test/resources/data/vantage/capture.pcap
out=$top/examples/logs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tcpdump -r "$pcap" -w "$work/main.pcap" "host 127.1.0.23" 2>/dev/null
tcpdump -r "$pcap" -w "$work/branch.pcap" "host 127.1.0.24 or host 127.1.0.50" 2>/dev/null
rm -rf "$out/zeek" "$out/zeek-branch-json" "$out/suricata"
mkdir -p "$out/zeek" "$out/zeek-branch-json" "$out/suricata"
(cd "$out/zeek" && "$zeek" -D -C -r "$work/main.pcap" "$top/zeek-scripts")
(cd "$out/zeek-branch-json" && "$zeek" -D -C -r "$work/branch.pcap" "$top/zeek-scripts" LogAscii::use_json=T)
rm -f "$out"/zeek*/packet_filter.log "$out"/zeek*/analyzer.log
TZ=UTC suricata --runmode single -r "$work/main.pcap" -k none -l "$work" -S "$top/suricata-rules/bottrace-irc.rules" \
  --set 'vars.address-groups.HOME_NET=[127.1.0.0/16]' --set 'vars.address-groups.EXTERNAL_NET=any' >/dev/null
grep -v '"event_type":"stats"' "$work/eve.json" > "$out/suricata/eve.json"
ls -l "$out"/*
