#!/usr/bin/env bash
# Instant local search (SdSearchIndex: FTS5 trigrams for 3+ characters,
# our 1- and 2-character grams below that) beside LIKE '%q%' on the same
# rows of the same SQLite file, in one run: 10,000 products, then 100,000
# products and 100,000 orders in one file (the target: under 16 ms,
# one frame). Queries are what a clerk types: 1, 2, 3 and 5 characters
# from the start of a word of a random row (names for products; receiver,
# order number and phone for orders), the first 50 results, warm cache.
# LIKE is run twice: with LIMIT 50 (stops at the 50th hit, like the index;
# fast when the text is common) and counting every match (the full scan
# that ranking matches by LIKE would need).
#
#   tests/bench/search.sh BUILD_DIR [QUERIES]
set -euo pipefail

build=$1
queries=${2:-200}
drive=$build/tests/bench/bench-search
work=$(mktemp -d /tmp/storedesk-bench-search.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$drive" "$work" 10000 0 "$queries" >"$work/small.txt"
"$drive" "$work" 100000 100000 "$queries" >"$work/big.txt"

echo "Local search: SdSearchIndex (first 50, ranked) vs LIKE '%q%', ms per query, $queries queries each"
for f in small big; do
  read -r _ rows ms bytes < <(grep '^build ' "$work/$f.txt")
  awk -v r="$rows" -v m="$ms" -v b="$bytes" \
    'BEGIN { printf "index of %d rows built in %.1f s, file %.1f MiB with the LIKE copy\n", r, m / 1000, b / 1048576 }'
done
row='%-9s %7s %5s %8s %8s %11s %11s %11s %11s %5s\n'
printf "$row" kind rows chars "index" "index" "LIKE 50" "LIKE 50" "LIKE all" "LIKE all" hits
printf "$row" "" "" "" median p99 median p99 median p99 
cat "$work/small.txt" "$work/big.txt" | grep -v '^build ' |
  while read -r kind rows len fm fp sm sp am ap hits; do
    printf "$row" "$kind" "$rows" "$len" "$fm" "$fp" "$sm" "$sp" "$am" "$ap" "$hits"
  done
