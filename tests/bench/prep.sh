#!/usr/bin/env bash
# storedesk-prep against vipsthumbnail and ImageMagick on the same real
# photos, in one run: wallpapers from Debian's plasma-workspace-wallpapers
# and ukui-wallpapers, fetched with apt-get download and never committed.
#
# Same output rules for all three: longest side at most 1920 px, JPEG
# quality 85, EXIF orientation applied, metadata stripped. (storedesk-prep
# also keeps each result under 1 MB; none of these needs more than q85.)
#
# One job: each tool runs once per picture, one CPU thread each (libvips
# and ImageMagick are told to use one thread); ms per picture is the
# median, pictures/s is count / total, peak RSS is the largest process;
# CPU time (user + system, median) is printed beside the wall time.
# Peak RSS in MB is MiB (/usr/bin/time's kB are KiB).
# All cores: the whole set at once (storedesk-prep --jobs N in one process,
# the others through xargs -P N).
#
#   tests/bench/prep.sh BUILD_DIR
set -euo pipefail

build=$1
prep=$build/src/prep/storedesk-prep
convert=/usr/bin/convert   # not a wrapper earlier in PATH
work=$(mktemp -d /tmp/storedesk-bench-prep.XXXXXX)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)

for tool in vipsthumbnail "$convert" /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "prep bench: $tool is missing (build-aux/run deps installs it)"; exit 1; }
done

# ---- the photos -----------------------------------------------------------
# Wallpapers from two Debian packages: baseline and progressive JPEGs of
# 14.7 MP (5120×2880) and 9.2 MP (3840×2400), PNGs up to 14.7 MP with and
# without alpha. Downloaded once into a cache, never into the tree.
cache=${STOREDESK_BENCH_CACHE:-$HOME/.cache/storedesk-bench}
mkdir -p "$cache"
for pkg in plasma-workspace-wallpapers ukui-wallpapers; do
  if ! ls "$cache/${pkg}"_*.deb >/dev/null 2>&1; then
    (cd "$cache" && apt-get download "$pkg" >/dev/null 2>&1) ||
      { echo "prep bench: apt-get download $pkg failed"; exit 1; }
  fi
  dpkg-deb -x "$(ls "$cache/${pkg}"_*.deb | head -1)" "$work/deb"
done
w=$work/deb/usr/share/wallpapers
u=$work/deb/usr/share/backgrounds
mkdir -p "$work/in"
i=0
for f in "$w/SafeLanding/contents/images/5120x2880.jpg" "$w/Shell/contents/images/5120x2880.jpg" \
         "$w/Honeywave/contents/images/5120x2880.jpg" "$w/Flow/contents/images_dark/5120x2880.jpg" \
         "$w/Flow/contents/images/5120x2880.jpg" "$w/Volna/contents/images/5120x2880.jpg" \
         "$u/string.jpg" "$u/2004default.jpg" "$u/the-mouse.jpg" "$u/firstgeneration.jpg" "$u/rhythm.jpg" \
         "$w/Altai/contents/images/5120x2880.png" "$w/Kay/contents/images/5120x2880.png" \
         "$w/Kokkini/contents/images/3840x2160.png" "$w/Canopee/contents/images/3840x2160.png" \
         "$w/Cluster/contents/images/3840x2160.png"; do
  i=$((i + 1))
  cp "$f" "$work/in/$(printf %02d $i)-$(basename "$(dirname "$(dirname "$(dirname "$f")")")")-$(basename "$f")"
done
photos=("$work"/in/*)
n=${#photos[@]}
in_bytes=$(cat "${photos[@]}" | wc -c)
mp=$(for f in "${photos[@]}"; do echo $(( $(vipsheader -f width "$f") * $(vipsheader -f height "$f") )); done |
     awk '{ s += $1 } END { printf "%.1f", s / NR / 1e6 }')
echo "$n photos ($((in_bytes / 1024 / 1024)) MiB, $mp megapixels on average): 11 JPEG (3 progressive), 5 PNG"

# ---- the tools: one picture in, one JPEG out ---------------------------------
# Each behind the same small script, so each pays the same shell start.
cat >"$work/one-prep.sh" <<EOF
exec "$prep" --jobs 1 --max-side 1920 --quality 85 --overwrite -o "\$2" "\$1" >/dev/null
EOF
cat >"$work/one-vips.sh" <<'EOF'
VIPS_CONCURRENCY=1 exec vipsthumbnail --size 1920x1920 -o "$2/%s.jpg[Q=85,strip]" "$1"
EOF
cat >"$work/one-convert.sh" <<EOF
b=\$(basename "\${1%.*}")
OMP_NUM_THREADS=1 MAGICK_THREAD_LIMIT=1 exec "$convert" "\$1" -auto-orient -resize '1920x1920>' -quality 85 -strip "\$2/\$b.jpg" 2>/dev/null
EOF

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

declare -A ms_med cpu_med rate rss out_bytes rate_all
for tool in prep vips convert; do
  out=$work/out-$tool
  mkdir -p "$out"
  sh "$work/one-$tool.sh" "${photos[0]}" "$out"   # warm the page cache and the loaders
  rm -rf "$out"; mkdir -p "$out"
  : >"$work/times-$tool"
done
# Picture by picture, the three tools one after the other, so that a
# machine busy with something else slows all three alike. Wall time from
# the clock (ns); peak RSS (KiB) and CPU time (user + system) from
# /usr/bin/time: CPU time is what other load on the machine changes least.
for f in "${photos[@]}"; do
  for tool in prep vips convert; do
    s=$(date +%s%N)
    /usr/bin/time -f "%M %U %S" -o "$work/t" sh "$work/one-$tool.sh" "$f" "$work/out-$tool"
    e=$(date +%s%N)
    read -r kb user sys < <(tail -1 "$work/t")
    echo "$(( (e - s) / 1000 )) $kb $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", (u + s) * 1e6 }') $(basename "$f")" \
      >>"$work/times-$tool"
  done
done
for tool in prep vips convert; do
  out=$work/out-$tool
  ms_med[$tool]=$(awk '{ printf "%.0f\n", $1 / 1000 }' "$work/times-$tool" | median)
  cpu_med[$tool]=$(awk '{ printf "%.0f\n", $3 / 1000 }' "$work/times-$tool" | median)
  rate[$tool]=$(awk -v n="$n" '{ s += $1 } END { printf "%.1f", n / (s / 1e6) }' "$work/times-$tool")
  rss[$tool]=$(awk '{ if ($2 > m) m = $2 } END { printf "%.0f", m / 1024 }' "$work/times-$tool")
  out_bytes[$tool]=$(cat "$out"/* | wc -c)
  count=$(ls "$out" | wc -l)
  [ "$count" = "$n" ] || { echo "prep bench: $tool wrote $count of $n files"; exit 1; }
done

# All cores at once: storedesk-prep in one process with --jobs, the
# others one process per picture, as many at a time as there are cores.
for tool in prep vips convert; do
  out=$work/all-$tool
  rm -rf "$out"; mkdir -p "$out"
  if [ $tool = prep ]; then
    s=$(date +%s%N)
    "$prep" --jobs "$cores" --max-side 1920 --quality 85 -o "$out" "${photos[@]}" >/dev/null
  else
    printf "%s\n" "${photos[@]}" >"$work/list"
    s=$(date +%s%N)
    xargs -P "$cores" -I{} sh "$work/one-$tool.sh" {} "$out" <"$work/list"
  fi
  e=$(date +%s%N)
  rate_all[$tool]=$(awk -v n="$n" -v us=$(( (e - s) / 1000 )) 'BEGIN { printf "%.1f", n / (us / 1e6) }')
done

echo
printf "%-16s %14s %12s %12s %12s %14s %16s\n" "" "ms/picture" "CPU ms" "pictures/s" "peak RSS" "output" "all $cores cores"
printf "%-16s %14s %12s %12s %12s %14s %16s\n" "" "(1 job, med.)" "(med.)" "(1 job)" "(1 job)" "(bytes)" "(pictures/s)"
for tool in prep vips convert; do
  case $tool in prep) name=storedesk-prep ;; vips) name=vipsthumbnail ;; convert) name="ImageMagick" ;; esac
  printf "%-16s %14s %12s %12s %9s MB %14s %16s\n" "$name" "${ms_med[$tool]}" "${cpu_med[$tool]}" "${rate[$tool]}" \
    "${rss[$tool]}" "${out_bytes[$tool]}" "${rate_all[$tool]}"
done
echo
awk -v p="${ms_med[prep]}" -v v="${ms_med[vips]}" -v c="${ms_med[convert]}" \
    -v pc="${cpu_med[prep]}" -v vc="${cpu_med[vips]}" -v cc="${cpu_med[convert]}" 'BEGIN {
  printf "storedesk-prep per picture: %.1f× faster than vipsthumbnail (aim ≥ 2×; in CPU time %.1f×), ", v / p, vc / pc
  printf "%.1f× faster than ImageMagick (CPU %.1f×)\n", c / p, cc / pc }'

# Peak RSS per kind. A progressive JPEG must keep every DCT coefficient of
# every component (2 bytes each, in blocks padded to whole MCUs) whatever
# the output size: that buffer is its floor, read from the frame header.
floor_mb() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
i = 2
while i + 4 <= len(d):
    if d[i] != 0xFF:
        break
    m = d[i + 1]
    if m == 0xFF:
        i += 1
        continue
    n = struct.unpack('>H', d[i + 2:i + 4])[0]
    if m in (0xC2, 0xC6, 0xCA, 0xCE):
        h, w, nf = struct.unpack('>HHB', d[i + 5:i + 10])
        comps = [(d[i + 11 + 3 * k] >> 4, d[i + 11 + 3 * k] & 15) for k in range(nf)]
        hm, vm = max(c[0] for c in comps), max(c[1] for c in comps)
        total = 0
        for hs, vs in comps:
            across = -(-(-(-w * hs // hm)) // 8)
            down = -(-(-(-h * vs // vm)) // 8)
            across = -(-across // hs) * hs
            down = -(-down // vs) * vs
            total += across * down * 128
        print("%.1f" % (total / 2**20))
        break
    if m in (0xC0, 0xC1, 0xDA):
        print("0")
        break
    i += 2 + n
PY
}
echo "storedesk-prep peak RSS on 1 job (aim: < 64 MB on baseline JPEGs and PNGs; on a progressive JPEG,"
echo "at most its coefficient buffer + 20 MB):"
base_max=0
while read -r us kb cpu name; do
  mb=$(( (kb + 1023) / 1024 ))
  case $name in
    *.png) kind=PNG ;;
    *) fl=$(floor_mb "$work/in/$name"); if [ "$fl" = 0 ]; then kind=JPEG; else kind="progressive JPEG"; fi ;;
  esac
  if [ "$kind" = "progressive JPEG" ]; then
    printf "  %4d MB  %-34s progressive: coefficients %5.1f MB + 20 = %5.1f MB  %s\n" "$mb" "$name" "$fl" \
      "$(awk -v f="$fl" 'BEGIN { print f + 20 }')" "$(awk -v m="$mb" -v f="$fl" 'BEGIN { print (m <= f + 20) ? "ok" : "OVER" }')"
  else
    [ "$mb" -gt "$base_max" ] && base_max=$mb
  fi
done <"$work/times-prep"
echo "  $base_max MB at most on the baseline JPEGs and PNGs $( [ "$base_max" -lt 64 ] && echo ok || echo OVER)"
