#!/usr/bin/env bash
# Drives the original HoneyTouse web FE in headless Chromium against a fresh
# storedesk-server --demo. Not run by CI; see tests/fe/README.md.
#   tests/fe/run.sh [BUILD_DIR]     (default: build)
# Env: FE_DIR (an existing checkout of HoneyTouse_FE; else it is cloned into
# a temp dir), CHROMIUM (default /usr/bin/chromium), OUT (screenshots,
# default tests/fe/out), API_PORT / FE_PORT (default 3900 / 5901), ONLY (a
# regex of scenario names).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
server=$build/src/server/storedesk-server
[ -x "$server" ] || { echo "no $server: build it first (ninja -C $build src/server/storedesk-server)" >&2; exit 2; }
api_port=${API_PORT:-3900}
fe_port=${FE_PORT:-5901}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export OUT=${OUT:-$here/out}
tmp=$(mktemp -d /tmp/storedesk-fe.XXXXXX)
export DATA_DIR=$tmp/shop
export API_URL=http://127.0.0.1:$api_port FE_URL=http://127.0.0.1:$fe_port
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -f "$tmp/server.pid" ] && kill "$(cat "$tmp/server.pid")" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# The FE, fetched at run time, never committed.
if [ -z "${FE_DIR:-}" ]; then
  FE_DIR=$tmp/fe
  git clone -q --depth 1 https://github.com/HoneyTouse/HoneyTouse_FE "$FE_DIR"
fi
[ -d "$FE_DIR/node_modules" ] || (cd "$FE_DIR" && npm ci --no-audit --no-fund --silent)
[ -d "$here/node_modules/puppeteer-core" ] || (cd "$here" && npm install --no-audit --no-fund --silent)

# The server. start_server [extra options]: (re)starts it on the same data dir.
start_server() {
  [ -f "$tmp/server.pid" ] && { kill "$(cat "$tmp/server.pid")" 2>/dev/null || true; sleep 0.5; }
  "$server" --demo --data-dir "$DATA_DIR" --listen "127.0.0.1:$api_port" \
    --cors-origin "$FE_URL" --public-url "$API_URL" ${SERVER_ARGS---order-links} "$@" \
    >>"$tmp/server.out" 2>>"$OUT/server.log" &
  echo $! >"$tmp/server.pid"
  for _ in $(seq 50); do curl -sf "$API_URL/health" >/dev/null && return 0; sleep 0.1; done
  echo "server did not start" >&2; return 1
}
mkdir -p "$OUT" "$DATA_DIR"
: >"$OUT/server.log"
start_server

# The FE's one setting: VITE_HOST_URL (pages/assets/js/constants.js), given in
# the environment, so not a file of the FE is edited. Vite serves its bare
# module imports (sweetalert2, browser-image-compression).
(cd "$FE_DIR" && VITE_HOST_URL=$API_URL exec node node_modules/vite/bin/vite.js --host 127.0.0.1 --port "$fe_port" --strictPort >"$tmp/vite.log" 2>&1) &
pids+=($!)
for _ in $(seq 100); do curl -sf "$FE_URL/index.html" >/dev/null && break; sleep 0.1; done

# The session scenario restarts the server with short-lived access tokens.
cat >"$tmp/restart" <<EOS
#!/usr/bin/env bash
$(declare -p tmp server api_port FE_URL API_URL DATA_DIR OUT; [ -n "${SERVER_ARGS+x}" ] && declare -p SERVER_ARGS)
$(declare -f start_server)
start_server --access-ttl 5
EOS
chmod +x "$tmp/restart"
export RESTART_CMD=$tmp/restart
node "$here/scenarios.mjs"
