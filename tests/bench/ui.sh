#!/usr/bin/env bash
# The app's start-up, beside gnome-text-editor's under the same Xvfb, and
# frame times while the product grid scrolls through 100,000 products.
#
# Start-up, measured from outside for both (the same way): from the exec
# to the app's window being mapped on the X server (xdotool). For
# Storedesk also from inside: to the first frame that shows the demo
# catalog's products (bench-ui first-frame). Median of 7 runs each.
#
#   tests/bench/ui.sh BUILD_DIR
set -euo pipefail

build=$(cd "$1" && pwd)
if [ -z "${STOREDESK_BENCH_IN_X:-}" ]; then
  # A private X server, D-Bus session and HOME, as for the tests.
  t=$(mktemp -d /tmp/storedesk-bench-ui.XXXXXX)
  trap 'rm -rf "$t"' EXIT
  mkdir -p "$t/home" "$t/run" && chmod 700 "$t/run"
  env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY -u WAYLAND_DISPLAY HOME="$t/home" XDG_RUNTIME_DIR="$t/run" \
    XDG_DATA_HOME="$t/home/data" XDG_CACHE_HOME="$t/home/cache" XDG_CONFIG_HOME="$t/home/config" \
    GSK_RENDERER=cairo NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory STOREDESK_BENCH_IN_X=1 \
    dbus-run-session -- xvfb-run -a -s "-screen 0 1280x1024x24" bash ${STOREDESK_BENCH_TRACE:+-x} "$0" "$build"
  exit $?
fi

for tool in xdotool gnome-text-editor; do
  command -v "$tool" >/dev/null || { echo "ui bench: $tool is missing (build-aux/run deps installs it)"; exit 1; }
done
server=$build/src/server/storedesk-server
seed=$build/tests/bench/bench-seed
ui=$build/tests/bench/bench-ui
app=$build/src/storedesk/storedesk
work=$(mktemp -d /tmp/storedesk-bench-ui-run.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${STOREDESK_BENCH_TRACE:-}" ] && cat "$work/apps.log" >&2
  rm -rf "$work"
}
trap cleanup EXIT

# Sets url and pid (not in a $(…) subshell: cleanup must know the pid).
start_shop() {  # dir [seed N]
  local dir=$work/$1 flag=
  if [ -n "${2:-}" ]; then "$seed" "$dir" "$2" >/dev/null; else mkdir -p "$dir"; flag=--demo; fi
  "$server" --listen 127.0.0.1:0 --data-dir "$dir" $flag >"$dir.out" 2>/dev/null &
  pid=$!
  pids+=($pid)
  for _ in $(seq 200); do grep -q "^listening on " "$dir.out" 2>/dev/null && break; sleep 0.05; done
  url=$(sed -n 's/^listening on //p' "$dir.out")
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Milliseconds from the exec of "$@" until a window of class $1 is mapped.
time_to_window() {
  local class=$1; shift
  local s e pid
  s=$(date +%s%N)
  "$@" >/dev/null 2>>"$work/apps.log" &
  pid=$!
  for _ in $(seq 5000); do xdotool search --onlyvisible --class "$class" >/dev/null 2>&1 && break; sleep 0.002; done
  e=$(date +%s%N)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo $(( (e - s) / 1000000 ))
}

start_shop demo; demo=$url
start_shop big 100000; big=$url
runs=7

# Warm the page cache and font caches once for each.
time_to_window storedesk "$app" --server "$demo" >/dev/null
time_to_window gnome-text-editor gnome-text-editor --new-window --ignore-session >/dev/null

: >"$work/sd" ; : >"$work/gte" ; : >"$work/sd-products"
for _ in $(seq $runs); do
  time_to_window storedesk "$app" --server "$demo" >>"$work/sd"
  time_to_window gnome-text-editor gnome-text-editor --new-window --ignore-session >>"$work/gte"
  s=$(date +%s%N)
  shown=$("$ui" first-frame "$demo" 2>/dev/null | sed -n 's/^first-frame-us //p')
  echo $(( (shown * 1000 - s) / 1000000 )) >>"$work/sd-products"
done

echo "start-up, median of $runs (ms)          window mapped   catalog on screen"
printf "%-36s %13s %19s\n" "Storedesk (demo shop, 49 products)" "$(median <"$work/sd")" "$(median <"$work/sd-products")"
printf "%-36s %13s %19s\n" "gnome-text-editor (empty document)" "$(median <"$work/gte")" "–"
echo
echo "frame times scrolling the grid of 100,000 products (1180×760 window, software rendering):"
printf "%-36s " "a steady scroll, 0.1 screen/frame"
"$ui" scroll "$big" 0.1 2>/dev/null
printf "%-36s " "a fling, 1.5 screens/frame"
"$ui" scroll "$big" 1.5 2>/dev/null
