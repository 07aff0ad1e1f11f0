#!/usr/bin/env bash
# The app's start-up, beside gnome-text-editor's under the same Xvfb, and
# frame times while the product grid scrolls through 100,000 products.
#
# Start-up, measured from outside for both (the same way): from the exec
# to the app's window being mapped on the X server (xdotool). For
# Storedesk also from inside: to the first frame that shows the demo
# catalog's products (bench-ui first-frame). Median of 7 runs each.
#
# The first catalog frame from disk against a network load: cold (no
# cache), warm (the local store filled by an earlier start), disk only
# (the shop stopped), and cold and warm with the shop's replies delayed.
#
#   [STOREDESK_BENCH_UI_PARTS="start-up disk scroll"] \
#   [STOREDESK_BENCH_DELAY_MS=1000] tests/bench/ui.sh BUILD_DIR
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

# Of the numbers read ("-": a run that did not get there).
median() { grep -E '^[0-9]+$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Milliseconds from the exec of "$@" until a window of class $1 is mapped;
# "-" when it exits first.
time_to_window() {
  local class=$1; shift
  local s e pid
  s=$(date +%s%N)
  "$@" >/dev/null 2>>"$work/apps.log" &
  pid=$!
  for _ in $(seq 5000); do
    xdotool search --onlyvisible --class "$class" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo -; return; }
    sleep 0.002
  done
  e=$(date +%s%N)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo $(( (e - s) / 1000000 ))
}

# "Machines": a HOME and XDG dirs each (the local store, the shop ids).
new_machine() {
  local m
  m=$(mktemp -d "$work/machine.XXXXXX")
  mkdir -p "$m/home" "$m/cache" "$m/data" "$m/config"
  echo "$m"
}

# bench-ui first-frame on machine $1 (empty: this one) against $2: ms from
# the exec to the products in the app's model, to the first frame showing
# them, to the error page, and from the catalog's load start to the
# products in the model; "-" for what did not come.
first_frame() {
  local s out env=() what us times=() start
  [ -n "$1" ] && env=(HOME="$1/home" XDG_CACHE_HOME="$1/cache" XDG_DATA_HOME="$1/data" XDG_CONFIG_HOME="$1/config")
  s=$(date +%s%N)
  out=$(env "${env[@]}" "$ui" first-frame "$2" 2>>"$work/apps.log")
  for what in in-model first-frame error-frame; do
    us=$(sed -n "s/^$what-us //p" <<<"$out")
    if [ -n "$us" ]; then times+=($(( (us * 1000 - s) / 1000000 ))); else times+=(-); fi
  done
  us=$(sed -n "s/^in-model-us //p" <<<"$out")
  start=$(sed -n "s/^load-start-us //p" <<<"$out")
  if [ -n "$us" ] && [ -n "$start" ]; then times+=($(( (us - start) / 1000 ))); else times+=(-); fi
  echo "${times[*]}"
}

parts=${STOREDESK_BENCH_UI_PARTS:-start-up disk scroll}
part() { [[ " $parts " == *" $1 "* ]]; }
start_shop demo; demo=$url
part scroll && { start_shop big 100000; big=$url; }
runs=7

# Warm the page cache and font caches once for each.
time_to_window storedesk "$app" --server "$demo" >/dev/null
if part start-up; then
  time_to_window gnome-text-editor gnome-text-editor --new-window --ignore-session >/dev/null

  : >"$work/sd" ; : >"$work/gte" ; : >"$work/sd-products"
  for _ in $(seq $runs); do
    time_to_window storedesk "$app" --server "$demo" >>"$work/sd"
    time_to_window gnome-text-editor gnome-text-editor --new-window --ignore-session >>"$work/gte"
    first_frame "" "$demo" | cut -d' ' -f2 >>"$work/sd-products"
  done

  echo "start-up, median of $runs (ms)          window mapped   catalog on screen"
  printf "%-36s %13s %19s\n" "Storedesk (demo shop, 49 products)" "$(median <"$work/sd")" "$(median <"$work/sd-products")"
  printf "%-36s %13s %19s\n" "gnome-text-editor (empty document)" "$(median <"$work/gte")" "–"
  echo
fi

if part disk; then
  # The first catalog frame from disk against a network load. A start of
  # the app on a machine of its own for each cold run; one machine per
  # warm row, filled by a start before the runs. The slow shop is the demo
  # shop behind tests/bench/delay-proxy.py (each piece of every reply
  # handed on $delay ms late); the stopped shop is killed after filling.
  delay=${STOREDESK_BENCH_DELAY_MS:-1000}
  python3 "$(dirname "$0")/delay-proxy.py" "${demo##*:}" "$delay" >"$work/proxy.out" &
  pids+=($!)
  for _ in $(seq 200); do grep -q "^listening on " "$work/proxy.out" 2>/dev/null && break; sleep 0.05; done
  slow=$(sed -n 's/^listening on //p' "$work/proxy.out")
  start_shop gone; gone=$url; gone_pid=$pid
  warm=$(new_machine); warm_slow=$(new_machine); stopped=$(new_machine)
  first_frame "$warm" "$demo" >/dev/null
  first_frame "$warm_slow" "$slow" >/dev/null
  first_frame "$stopped" "$gone" >/dev/null
  kill "$gone_pid"; wait "$gone_pid" 2>/dev/null || true

  for _ in $(seq $runs); do
    first_frame "$(new_machine)" "$demo" >>"$work/ff-cold"
    first_frame "$warm" "$demo" >>"$work/ff-warm"
    first_frame "$stopped" "$gone" >>"$work/ff-stopped"
    first_frame "$(new_machine)" "$slow" >>"$work/ff-cold-slow"
    first_frame "$warm_slow" "$slow" >>"$work/ff-warm-slow"
  done
  # Column $2 of row $1's runs: the median of the runs that had it ("-":
  # none), and how many did when not all.
  col() {
    local v n
    v=$(cut -d' ' -f"$2" <"$work/ff-$1" | median)
    n=$(cut -d' ' -f"$2" <"$work/ff-$1" | grep -cv '^-$' || true)
    [ "$n" = "$runs" ] || v="${v:--}${v:+ ($n/$runs)}"
    echo "$v"
  }
  row() {
    printf "%-44s %9s %10s %10s %11s\n" "$2" "$(col "$1" 1)" "$(col "$1" 2)" "$(col "$1" 3)" "$(col "$1" 4)"
  }
  echo "first catalog frame, median of $runs (ms from the exec; demo shop, 49 products):"
  echo "  in model: the products in the app's catalog (from disk when cached);"
  echo "  on screen: the first frame showing them; error: that of the error page;"
  echo "  from load: from the catalog's load start to the products in the model"
  printf "%-44s %9s %10s %10s %11s\n" "" "in model" "on screen" "error" "from load"
  row cold "cold: no cache yet, shop answering"
  row warm "warm: cache filled, shop answering"
  row stopped "disk only: cache filled, shop stopped"
  row cold-slow "cold, shop replies ${delay} ms late (proxy)"
  row warm-slow "warm, shop replies ${delay} ms late (proxy)"
  echo
fi

part scroll || exit 0
echo "frame times scrolling the grid of 100,000 products (1180×760 window, software rendering):"
printf "%-36s " "a steady scroll, 0.1 screen/frame"
"$ui" scroll "$big" 0.1 2>/dev/null
printf "%-36s " "a fling, 1.5 screens/frame"
"$ui" scroll "$big" 1.5 2>/dev/null
