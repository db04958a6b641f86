#!/usr/bin/env bash
# Writes the Zeek logs the tests read for a capture, with real Zeek and bottrace's package: every log a
# sensor with the package writes (conn, irc, irc_cmd, irc_pkt, dns, http, files, pe, ...), in TSV and in
# JSON, deterministic uids (-D). ZeekPackageTest runs Zeek again and asserts the same rows.
#   src/test/scripts/zeek-fixtures.sh CAPTURE.pcap OUT_DIR
# writes OUT_DIR/zeek-package (TSV) and OUT_DIR/zeek-package-json. Zeek from $ZEEK, else zeek on PATH,
# else /opt/zeek/bin/zeek.
set -euo pipefail
pcap=$(realpath "$1")
out=$(realpath -m "$2")
top=$(cd "$(dirname "$0")/../../.." && pwd)
zeek=${ZEEK:-$(command -v zeek || echo /opt/zeek/bin/zeek)}
for form in tsv json; do
  dir="$out/zeek-package"
  extra=()
  if [ "$form" = json ]; then dir="$out/zeek-package-json"; extra=(LogAscii::use_json=T); fi
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && "$zeek" -D -C -r "$pcap" "$top/zeek-scripts" "${extra[@]}")
  # what the sensor itself logs about its run, not about the traffic
  rm -f "$dir/packet_filter.log" "$dir/loaded_scripts.log" "$dir/reporter.log" "$dir/stats.log"
done
"$zeek" --version
