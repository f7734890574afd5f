#!/usr/bin/env bash
# Gate benchmark: does `gatehouse gate` run its scanners concurrently? Times each scanner alone
# and the gate (which runs all three) on the same medium repository, in alternating rounds, and
# writes the medians to BENCHMARKS.md between <!-- gate:begin --> and <!-- gate:end -->.
#
#   bench/gate.sh [--runs N] [--no-build] [--no-write]
#
# The repository (bench/work/gate-repo, gitignored) is a git repository holding the pure-Python
# sources of pip and the JSON service descriptions of botocore from the machine's Python install
# and the real Cargo.lock of uv from the shared
# data; the advisory database is RustSec's advisory-db (OSV form) from the shared data, imported
# offline into bench/work/gate-data.
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
work="$bench/work"
data_src="${GATEHOUSE_BENCH_DATA:-$root/../shared/data}"
invocation="bench/gate.sh${*:+ $*}"
runs=5 build=1 write=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-write) write=0; shift ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,"");print}' "$0"; exit 0 ;;
    *) echo "gate.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$work"
if [[ $build == 1 ]]; then
  (cd "$root" && cargo build --release -q -p gatehouse)
fi
bin="$root/target/release/gatehouse"

repo="$work/gate-repo" dd="$work/gate-data"
if [[ ! -d "$repo/.git" ]]; then
  rm -rf "$repo" && mkdir -p "$repo"
  pip_src="$(python3 -c 'import pip, os; print(os.path.dirname(pip.__file__))')"
  (cd "$pip_src/.." && find pip -name '*.py' -print0 | tar --null -T - -cf - | tar -xf - -C "$repo")
  # Data files for the secret scanner (the code scanner has no rules for JSON): botocore's
  # service descriptions, so that the two file scanners take comparable time.
  boto_src="$(python3 -c 'import botocore, os; print(os.path.dirname(botocore.__file__))')"
  (cd "$boto_src/.." && find botocore/data -name '*.json' -print0 | tar --null -T - -cf - | tar -xf - -C "$repo")
  cp "$data_src/lockfiles/cargo-lock/real/uv.Cargo.lock" "$repo/Cargo.lock"
  git -C "$repo" init -q
  git -C "$repo" add -A
  git -C "$repo" -c user.name=bench -c user.email=bench@example.org commit -qm snapshot
fi
if [[ ! -d "$dd" ]]; then
  "$bin" --data-dir "$dd" db import "$data_src/advisories/rustsec-osv" >/dev/null
fi

python3 - "$bin" "$repo" "$dd" "$runs" "$root/BENCHMARKS.md" "$write" "$invocation" <<'EOF'
import os, statistics, subprocess, sys, time
bin_, repo, dd, runs, bench_md, write, invocation = sys.argv[1:8]
runs = int(runs)
cmds = {
    "scan secrets": [bin_, "--data-dir", dd, "scan", "secrets", "--format", "json", "--output", "/dev/null", "."],
    "scan deps": [bin_, "--data-dir", dd, "scan", "deps", "--format", "json", "--output", "/dev/null", "--max-db-age", "100000", "."],
    "scan code": [bin_, "--data-dir", dd, "scan", "code", "--format", "json", "--output", "/dev/null", "."],
    "gate (all three)": [bin_, "--data-dir", dd, "gate", "--stage", "release", "--report", "json=/dev/null", "."],
}
# The gate reads the same advisory data; keep it from counting as out of date.
env = dict(os.environ, NO_COLOR="1")
open(os.path.join(repo, "gatehouse.toml"), "w").write("[deps]\nmax-db-age-days = 100000\n")
times = {k: [] for k in cmds}
findings = {}
for r in range(runs + 1):          # round 0 is the warm-up
    for name, cmd in cmds.items():
        t = time.perf_counter()
        p = subprocess.run(cmd, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t
        if p.returncode not in (0, 1):
            sys.exit(f"{name}: exit {p.returncode}: {p.stderr.decode()[-500:]}")
        if r:
            times[name].append(dt)
med = {k: statistics.median(v) for k, v in times.items()}
scanners = [k for k in cmds if k.startswith("scan")]
slowest = max(scanners, key=lambda k: med[k])
total = sum(med[k] for k in scanners)
files = sum(len(fs) for d, _, fs in os.walk(repo) if ".git" not in d.split(os.sep))
load = os.getloadavg()[0]
lines = [
    "## The gate",
    "",
    f"Reproduce with `bench/gate.sh` from the repository root ({runs} timed rounds after one warm-up; a round runs every command once, alternating, so noise spreads over all of them; medians). "
    f"Input: a git repository with the Python sources of pip, the JSON service descriptions of botocore ({files:,} files in all) and uv's real Cargo.lock, RustSec advisories imported offline. "
    f"Machine: {os.cpu_count()} CPUs, 1-minute load {load:.2f} at the end. Last run: `{invocation}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
    "",
    "| command | median wall | vs slowest scanner |",
    "|---|--:|--:|",
]
for k in cmds:
    lines.append(f"| `{k}` | {med[k]:.2f} s | {med[k] / med[slowest]:.2f}× |")
lines += [
    "",
    f"The gate runs the three scanners on their own threads: it took {med['gate (all three)']:.2f} s, "
    f"{med['gate (all three)'] / med[slowest]:.2f}× the slowest scanner alone (`{slowest}`, {med[slowest]:.2f} s) "
    f"and {med['gate (all three)'] / total:.2f}× the sum of the three ({total:.2f} s). On 2 cores the scanners compete for CPU, "
    "so the gate cannot reach the slowest scanner's time exactly when the others also need CPU.",
]
text = "\n".join(lines)
print(text)
if write == "1":
    doc = open(bench_md).read()
    b, e = "<!-- gate:begin -->", "<!-- gate:end -->"
    block = f"{b}\n{text}\n{e}"
    if b in doc:
        doc = doc[: doc.index(b)] + block + doc[doc.index(e) + len(e):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    open(bench_md, "w").write(doc)
EOF
