#!/usr/bin/env bash
# The client core (SdCatalog) against curl + jq on the same shop, in one
# run: time to the first page, time to fetch and parse 10,000 products,
# and peak memory with a 100,000-product catalog walked end to end.
#
#   tests/bench/core.sh BUILD_DIR
set -euo pipefail

build=$1
server=$build/src/server/storedesk-server
seed=$build/tests/bench/bench-seed
drive=$build/tests/bench/bench-catalog
work=$(mktemp -d /tmp/storedesk-bench-core.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_shop() {  # dir n → url
  "$seed" "$work/$1" "$2" >/dev/null
  "$server" --listen 127.0.0.1:0 --data-dir "$work/$1" >"$work/$1.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do grep -q "^listening on " "$work/$1.out" 2>/dev/null && break; sleep 0.1; done
  sed -n 's/^listening on //p' "$work/$1.out"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

shop=$(start_shop shop10k 10000)
export XDG_CACHE_HOME=$work/cache

# The same bytes for both: page N of 100 products.
curl_first() { curl -s "$shop/api/v1/products?page=1&limit=100" | jq '.data | length' >/dev/null; }
curl_all() {
  for p in $(seq 1 100); do curl -s "$shop/api/v1/products?page=$p&limit=100"; done | jq -s 'map(.data | length) | add' >/dev/null
}
# The staff export: every product as CSV (jq's @csv, category ids, not names).
curl_csv() {
  for p in $(seq 1 100); do curl -s "$shop/api/v1/products?page=$p&limit=100"; done |
    jq -r '.data[] | [._id, .name, .categoryId, .brand, .price, .stock, (.options.name // ""),
                     ((.options.value // []) | join("|")), .description, .image] | @csv' >"$work/curl.csv"
}
ms() { local s e; s=$(date +%s%N); "$@"; e=$(date +%s%N); echo $(( (e - s) / 1000 )) | awk '{ printf "%.1f\n", $1 / 1000 }'; }

first_core=$(for i in $(seq 7); do "$drive" "$shop" first; done | median)
first_curl=$(for i in $(seq 7); do ms curl_first; done | median)
all_core=$(for i in $(seq 3); do "$drive" "$shop" all; done | median)
all_curl=$(for i in $(seq 3); do ms curl_all; done | median)
csv_core=$(for i in $(seq 3); do "$drive" "$shop" csv "$work/core.csv"; done | median)
csv_curl=$(for i in $(seq 3); do ms curl_csv; done | median)

big=$(start_shop shop100k 100000)
read -r rss n held < <("$drive" "$big" scroll)

echo "SdCatalog vs curl + jq, the same pages of 100 from storedesk-server on loopback"
printf '%-46s %12s %12s\n' measure SdCatalog "curl + jq"
printf '%-46s %12s %12s\n' "first page, ms (median of 7)" "$first_core" "$first_curl"
printf '%-46s %12s %12s\n' "10,000 products fetched and parsed, ms (of 3)" "$all_core" "$all_curl"
printf '%-46s %12s %12s\n' "10,000 products exported to CSV, ms (of 3)" "$csv_core" "$csv_curl"
echo "100,000 products walked end to end: peak RSS $rss KiB for $n items, $held held at the end," \
     "$(awk -v r="$rss" -v n="$n" 'BEGIN { printf "%.0f", r * 1024 / n }') bytes per product (whole process)"
