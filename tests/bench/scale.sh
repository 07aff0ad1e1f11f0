#!/usr/bin/env bash
# Scale-out: storedesk-server nodes on one PostgreSQL behind nginx (round
# robin), 1, 2 and 4 of them, side by side with the single SQLite node,
# in one run: wrk, 2 threads, 64 connections, DURATION per row, 10,000
# products. Two loads: GET /products?limit=50, and a checkout mix (one
# request in ten a guest checkout, the rest product pages). CPU per
# request counts every process on the serving side (nodes, PostgreSQL,
# nginx) from /proc. On a 2-core machine more nodes cannot add CPU; the
# taskset rows pin nodes to one core each, to show how a node's share
# grows with the cores it gets.
#
#   tests/bench/scale.sh BUILD_DIR [DURATION]
set -euo pipefail

build=$(cd "$1" && pwd)
duration=${2:-10s}
src=$(cd "$(dirname "$0")/../.." && pwd)
server=$build/src/server/storedesk-server
seed=$build/tests/bench/bench-seed
work=$(mktemp -d /tmp/storedesk-scale.XXXXXX)
chmod 755 "$work"
pids=()
pg=$work/pg
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$src/build-aux/pg-cluster" stop "$pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_listening() {  # out-file → url
  for _ in $(seq 200); do grep -q "^listening on " "$1" 2>/dev/null && break; sleep 0.05; done
  sed -n 's/^listening on //p' "$1"
}

# ---- the shops: one SQLite, copied into PostgreSQL by export | import ----
"$seed" "$work/shop" 10000 >/dev/null
eval "$("$src/build-aux/pg-cluster" start "$pg")"
export PGPASSFILE
pg_url() {  # dbname → postgresql:// URL of the cluster
  awk -v db="$1" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END { printf "postgresql://%s@%s:%s/%s\n", v["user"], v["host"], v["port"], db }' <<<"$STOREDESK_TEST_PG"
}
psql -X -q -d "$STOREDESK_TEST_PG" -c "CREATE DATABASE bench" >/dev/null
db=$(pg_url bench)
"$server" export --data-dir "$work/shop" | "$server" import --data-dir "$work/shop-pg" --database "$db" >/dev/null
pg_owner=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^user=/) print substr($i, 6) }' <<<"$STOREDESK_TEST_PG")

# A product without stock tracking and its price, for checkouts that never
# run out.
read -r pid price < <(psql -X -qAt -F ' ' -d "$db" \
  -c "SELECT id, price FROM products WHERE stock IS NULL AND option_id IS NULL ORDER BY seq LIMIT 1")
cat >"$work/mix.lua" <<LUA
local n = 0
local body = '{"status":"입금 대기","product":[{"id":"$pid","name":"x","count":1,"image":""}],' ..
  '"memo":"","payment":{"ttlPriceItem":$price,"ttlPriceDelivery":3000,"ttlPrice":$((price + 3000))}}'
request = function()
  n = n + 1
  if n % 10 == 0 then
    return wrk.format("POST", "/api/v1/orders", { ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("GET", "/api/v1/products?page=" .. (n % 50 + 1) .. "&limit=50")
end
LUA

# ---- serving side: nodes and nginx ----
node_pids=()
start_nodes() {  # count database [cpu-list]: starts count nodes, sets $upstream
  local count=$1 database=$2 cpus=${3:-} i out
  node_pids=()
  upstream=""
  for i in $(seq "$count"); do
    out=$work/node-$i.out
    local pin=()
    if [ -n "$cpus" ]; then pin=(taskset -c "$(cut -d, -f"$i" <<<"$cpus")"); fi
    "${pin[@]}" "$server" --listen 127.0.0.1:0 --data-dir "$work/shop-pg" --database "$database" \
      --trusted-proxy 127.0.0.1/32 >"$out" 2>"$work/node-$i.log" &
    node_pids+=($!)
    pids+=($!)
  done
  for i in $(seq "$count"); do
    upstream+="    server $(wait_listening "$work/node-$i.out" | sed 's|http://||');"$'\n'
  done
}
start_sqlite() {
  node_pids=()
  "$server" --listen 127.0.0.1:0 --data-dir "$work/shop" >"$work/node-1.out" 2>"$work/node-1.log" &
  node_pids+=($!)
  pids+=($!)
  upstream="    server $(wait_listening "$work/node-1.out" | sed 's|http://||');"$'\n'
}
stop_nodes() {
  kill "${node_pids[@]}" 2>/dev/null || true
  for p in "${node_pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
nginx_pid=
start_nginx() {
  mkdir -p "$work/nginx"
  nport=$(free_port)
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream shop {
$upstream    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nport;
    location / {
      proxy_pass http://shop;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
  nginx_pid=$!
  pids+=($nginx_pid)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nport/health" >/dev/null && break; sleep 0.05; done
}
stop_nginx() {
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
}

ticks() {  # CPU ticks of the serving side: nodes, PostgreSQL, nginx
  local p all=("${node_pids[@]}" $(pgrep -u "$pg_owner" postgres || true) $(pgrep nginx || true))
  for p in "${all[@]}"; do
    awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true
  done | awk '{ s += $1 } END { print s + 0 }'
}

run() {  # label load(page|mix) → a row
  local label=$1 load=$2 before after out script=()
  [ "$load" = mix ] && script=(-s "$work/mix.lua")
  before=$(ticks)
  out=$(wrk -t2 -c64 -d"$duration" --latency "${script[@]}" "http://127.0.0.1:$nport/api/v1/products?limit=50")
  after=$(ticks)
  awk -v label="$label" -v load="$load" -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ { rps = $2 }
    /requests in/ { n = $1 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%-28s %-6s %10s %10s %14.0f %8s\n", label, load, rps, p99, 1e6 * t / hz / n, bad + 0 }' <<<"$out"
}

echo "storedesk-server scale-out, wrk -t2 -c64 -d$duration through nginx (round robin, keepalive),"
echo "10,000 products, $(nproc) CPUs shared by wrk, nginx, the nodes and PostgreSQL 15 (fsync off)"
echo "page: GET /products?limit=50; mix: 1 request in 10 a guest checkout, the rest product pages"
printf '%-28s %-6s %10s %10s %14s %8s\n' setup load req/s p99 "CPU µs/req" non-2xx
start_sqlite; start_nginx
run "1 node, SQLite" page; run "1 node, SQLite" mix
stop_nginx; stop_nodes
for n in 1 2 4; do
  start_nodes "$n" "$db"; start_nginx
  run "$n node(s), PostgreSQL" page; run "$n node(s), PostgreSQL" mix
  stop_nginx; stop_nodes
done
if [ "$(nproc)" -ge 2 ]; then
  start_nodes 1 "$db" 0; start_nginx
  run "1 node pinned (1 core)" page
  stop_nginx; stop_nodes
  start_nodes 2 "$db" 0,1; start_nginx
  run "2 nodes pinned (2 cores)" page
  stop_nginx; stop_nodes
fi
