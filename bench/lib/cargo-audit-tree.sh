#!/usr/bin/env bash
# Run cargo-audit on every Cargo.lock of a list, one process per lockfile, as a pipeline that
# checks a monorepo with cargo-audit has to (bench/deps.sh times this loop as one command).
#
#   cargo-audit-tree.sh CARGO_AUDIT DB LIST OUTDIR
#
# LIST names one Cargo.lock per line; the report of the i-th goes to OUTDIR/i.json. Exits 0 when
# every run exited 0 (no vulnerabilities) or 1 (vulnerabilities) and wrote a report, 2 otherwise.
set -uo pipefail
[[ $# -eq 4 ]] || { echo "usage: cargo-audit-tree.sh CARGO_AUDIT DB LIST OUTDIR" >&2; exit 2; }
bin="$1" db="$2" list="$3" out="$4"
rm -rf "$out" && mkdir -p "$out" || exit 2
i=0 bad=0
while IFS= read -r lock; do
  [[ -n "$lock" ]] || continue
  i=$((i + 1))
  "$bin" audit --db "$db" --no-fetch --no-yanked --json -f "$lock" >"$out/$i.json"
  rc=$?
  if [[ $rc -gt 1 || ! -s "$out/$i.json" ]]; then
    echo "cargo-audit-tree.sh: $lock: exit code $rc" >&2
    bad=1
  fi
done <"$list"
[[ $i -gt 0 ]] || { echo "cargo-audit-tree.sh: no lockfile in $list" >&2; exit 2; }
exit $((bad * 2))
