#!/usr/bin/env bash
# Reproducible large-data measurements for BENCHMARKS.md.
#
#   benches/large_data.sh [SIZES...]      (default: 100000 1000000)
#
# Generates contacts and events with ../shared/gen_contacts.py (seed 42, ref date
# 2026-01-01; set GEN=path/to/gen_contacts.py to use another copy), builds the release binary,
# then for each size measures in one run, on the same file:
#   - `listwarden import` of the contacts export into a fresh workspace (wall time, peak RSS)
#   - `sqlite3 .import` of the same file into a fresh database (the baseline)
#   - `listwarden import --events` of the events export
#   - `listwarden stats` and a raw `SELECT count(*)` for scale
# Data and workspaces go to bench-data/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/gen_contacts.py}
SIZES=${*:-100000 1000000}
OUT=bench-data
mkdir -p "$OUT"
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
cargo build --release -q
BIN=target/release/listwarden

measure() { # label, command... → prints "label seconds peak_kib"
  local label=$1; shift
  # Each command starts with no dirty pages of the one before still being written out,
  # which would otherwise be charged to whichever runs second.
  sync
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null
  read -r secs kib <"$OUT/time.txt"
  printf '%-34s %8.2f s %10d KiB\n' "$label" "$secs" "$kib"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for n in $SIZES; do
  c="$OUT/contacts_$n.csv"; e="$OUT/events_$n.csv"
  [ -f "$c" ] || python3 "$GEN" "$n" -o "$c"
  [ -f "$e" ] || python3 "$GEN" "$n" --events -o "$e"
  rows=$(($(wc -l <"$c") - 1)); erows=$(($(wc -l <"$e") - 1))
  echo "== $n contacts ($rows rows, $(du -h "$c" | cut -f1)); $erows events ($(du -h "$e" | cut -f1))"
  rm -f "$OUT/ws_$n.db"* "$OUT/sqlite_$n.db"
  measure "sqlite3 .import (baseline)" sqlite3 "$OUT/sqlite_$n.db" -cmd ".mode csv" ".import $c contacts"
  measure "listwarden import contacts" "$BIN" --db "$OUT/ws_$n.db" import "$c"
  measure "listwarden import --events" "$BIN" --db "$OUT/ws_$n.db" import --events "$e"
  measure "listwarden stats" "$BIN" --db "$OUT/ws_$n.db" stats
  measure "sqlite3 count(*) (baseline)" sqlite3 "$OUT/ws_$n.db" "SELECT count(*) FROM contacts"
done
