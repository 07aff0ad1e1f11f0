#!/usr/bin/env bash
# 100,000 short connections, closed every way (answered, cut in the
# request line, cut in the headers; with RST and with FIN), against
# storedesk-server under `prlimit --nofile=256`, then its descriptors and
# /health; A/B against the baseline server built from git in the same run.
#
#   tests/bench/connections.sh BUILD_DIR [CONNECTIONS]
set -euo pipefail

build=$1
count=${2:-100000}
work=$(mktemp -d /tmp/storedesk-bench.XXXXXX)
source "$(dirname "$0")/baseline.sh"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  baseline_cleanup
  rm -rf "$work"
}
trap cleanup EXIT
baseline_build

one() {  # label server-binary
  local label=$1 bin=$2 out=$work/$1.out pid url port fds_before fds_after health
  mkdir -p "$work/$label-shop"
  prlimit --nofile=256 "$bin" --listen 127.0.0.1:0 --data-dir "$work/$label-shop" --workers 2 \
    >"$out" 2>/dev/null &
  pid=$!
  pids+=($pid)
  for _ in $(seq 100); do grep -q "^listening on " "$out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$out")
  port=${url##*:}
  curl -sf "$url/health" >/dev/null
  fds_before=$(ls /proc/$pid/fd | wc -l)
  echo "-- $label"
  "$build/tests/bench/bench-connections" "$port" "$count" || true
  sleep 2
  fds_after=$(ls /proc/$pid/fd | wc -l)
  health=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$url/health" || true)
  echo "   descriptors: $fds_before before, $fds_after after; /health afterwards: ${health:-no answer}"
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
}

echo "$count short connections, closed every way, server under prlimit --nofile=256, 2 workers"
one storedesk-server "$build/src/server/storedesk-server"
[ -n "$baseline" ] && one "baseline-$baseline_ref" "$baseline"
exit 0
