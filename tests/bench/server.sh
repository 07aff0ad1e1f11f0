#!/usr/bin/env bash
# storedesk-server against nginx serving the same response bytes as
# static files, on this machine, in one run: wrk, 2 threads, 64
# connections, 10 s per target, with 10,000 products in the shop; and A/B
# against the server as it was at $STOREDESK_BASELINE (baseline.sh).
#
#   tests/bench/server.sh BUILD_DIR [DURATION]
set -euo pipefail

build=$1
duration=${2:-10s}
server=$build/src/server/storedesk-server
seed=$build/tests/bench/bench-seed
work=$(mktemp -d /tmp/storedesk-bench.XXXXXX)
chmod 755 "$work"   # nginx's workers run as nobody and must read www/
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

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

"$seed" "$work/shop" 10000 >/dev/null

# Our server; its request log goes where an operator's would, a file.
"$server" --listen 127.0.0.1:0 --data-dir "$work/shop" >"$work/server.out" 2>"$work/server.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "^listening on " "$work/server.out" 2>/dev/null && break; sleep 0.1; done
ours=$(sed -n 's/^listening on //p' "$work/server.out")

# The baseline on a shop seeded the same way by its own seeder.
if [ -n "$baseline" ]; then
  "$baseline_seed" "$work/shop-b" 10000 >/dev/null
  "$baseline" --listen 127.0.0.1:0 --data-dir "$work/shop-b" >"$work/base.out" 2>"$work/base.log" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "^listening on " "$work/base.out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/^listening on //p' "$work/base.out")
fi

page="/api/v1/products?page=1&limit=50"
health="/health"

# nginx: the very same bytes, as files, with as many workers as ours
# (one per CPU for both).
mkdir -p "$work/www/api/v1" "$work/nginx"
curl -sf "$ours$page" >"$work/www/api/v1/products"
curl -sf "$ours$health" >"$work/www/health"
nport=$(free_port)
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  default_type application/json;
  server {
    listen 127.0.0.1:$nport;
    root $work/www;
    location / { try_files \$uri =404; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport$health" >/dev/null && break; sleep 0.1; done
theirs="http://127.0.0.1:$nport"

# Both must serve the very same bytes, or the comparison means nothing.
for route in "$page" "$health"; do
  if ! cmp -s <(curl -sf "$ours$route") <(curl -sf "$theirs$route"); then
    echo "bench: nginx and storedesk-server answer $route differently; not comparing" >&2
    exit 1
  fi
done
bytes=$(wc -c <"$work/www/api/v1/products")

run() {  # url → "rps p50 p99"
  wrk -t2 -c64 -d"$duration" --latency "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    END { print rps, p50, p99 }'
}

echo "storedesk-server vs nginx (static copy of the same bytes), wrk -t2 -c64 -d$duration, 10,000 products,"
echo "both with one worker per CPU ($(nproc)), on the same machine as wrk"
echo "product page: $bytes bytes"
printf '%-34s %-16s %10s %10s %10s %8s\n' route server req/s p50 p99 ours/nginx
for route in "$page" "$health"; do
  read -r o50 o_p50 o_p99 < <(run "$ours$route")
  read -r n50 n_p50 n_p99 < <(run "$theirs$route")
  ratio=$(awk -v a="$o50" -v b="$n50" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  printf '%-34s %-16s %10s %10s %10s %8s\n' "GET $route" storedesk-server "$o50" "$o_p50" "$o_p99" "$ratio"
  printf '%-34s %-16s %10s %10s %10s %8s\n' "" nginx "$n50" "$n_p50" "$n_p99" ""
  if [ -n "$baseline" ]; then
    read -r b50 b_p50 b_p99 < <(run "$base$route")
    ratio=$(awk -v a="$b50" -v b="$n50" 'BEGIN { printf "%.0f%%", 100 * a / b }')
    printf '%-34s %-16s %10s %10s %10s %8s\n' "" "baseline $baseline_ref" "$b50" "$b_p50" "$b_p99" "$ratio"
  fi
done
