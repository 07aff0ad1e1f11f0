# Sourced by the benches: builds storedesk-server as it was at
# $STOREDESK_BASELINE (default 512ac41, the last SoupServer one) into
# $work/baseline, for A/B runs in the same bench. Sets $baseline to the
# binary (and $baseline_seed to its bench-seed: a database of a newer
# schema is not the baseline's to open), or to "" when it cannot be built (then the A/B rows are left out).
baseline_build() {
  local ref=${STOREDESK_BASELINE:-512ac41} top
  top=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel 2>/dev/null) || { baseline=""; return; }
  baseline=""
  if git -C "$top" worktree add -q --detach "$work/baseline-src" "$ref" 2>/dev/null &&
     meson setup "$work/baseline-build" "$work/baseline-src" -Dapp=false \
       --buildtype=debugoptimized >/dev/null 2>&1 &&
     ninja -C "$work/baseline-build" src/server/storedesk-server tests/bench/bench-seed >/dev/null 2>&1; then
    baseline=$work/baseline-build/src/server/storedesk-server
    baseline_seed=$work/baseline-build/tests/bench/bench-seed
    baseline_ref=$(git -C "$top" rev-parse --short "$ref")
  else
    echo "bench: could not build the baseline server at $ref; no A/B rows" >&2
  fi
}
baseline_cleanup() {
  local top
  top=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel 2>/dev/null) || return 0
  [ -d "$work/baseline-src" ] && git -C "$top" worktree remove --force "$work/baseline-src" 2>/dev/null
  return 0
}
