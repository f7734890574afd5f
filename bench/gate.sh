#!/usr/bin/env bash
# Gate benchmark: does `gatehouse gate` run its scanners concurrently? Times each scanner alone
# and the gate (which runs all four) on the same medium repository, in alternating rounds, and
# writes the medians to BENCHMARKS.md between <!-- gate:begin --> and <!-- gate:end -->.
#
#   bench/gate.sh [--runs N] [--no-build] [--no-write]
#
# Two settings: the default (every scanner on all CPUs) and `--threads 1` (one worker per
# scanner), each with wall and CPU time and the lower bound no concurrent run can beat.
#
# The repository (bench/work/gate-repo, gitignored) is a git repository holding the pure-Python
# sources of pip (what the code scanner reads), the text files of the machine's Python install
# (bench/lib/make-pytree.sh) under data/ for the secret scanner,
# the IaC scanner's corpus of real infrastructure files (crates/iac/tests/corpus) under infra/,
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
  # More for the secret scanner than for the code scanner, so that the two take comparable
  # time: the text files of the Python install (the secret benchmark's tree input) under data/,
  # which the gate's [code] section leaves out.
  "$bench/lib/make-pytree.sh" --work "$work" >/dev/null
  mkdir -p "$repo/data" && cp -r "$work/pytree/." "$repo/data/"
  cp "$data_src/lockfiles/cargo-lock/real/uv.Cargo.lock" "$repo/Cargo.lock"
  # Infrastructure files for the IaC scanner: the real-world corpus of its tests.
  mkdir -p "$repo/infra" && cp -r "$root/crates/iac/tests/corpus/." "$repo/infra/"
  git -C "$repo" init -q
  git -C "$repo" add -A
  git -C "$repo" -c user.name=bench -c user.email=bench@example.org commit -qm snapshot
fi
if [[ ! -d "$dd" ]]; then
  "$bin" --data-dir "$dd" db import "$data_src/advisories/rustsec-osv" >/dev/null
fi

python3 - "$bin" "$repo" "$dd" "$runs" "$root/BENCHMARKS.md" "$write" "$invocation" <<'EOF'
import os, resource, statistics, subprocess, sys, time
bin_, repo, dd, runs, bench_md, write, invocation = sys.argv[1:8]
runs = int(runs)

def commands(threads):
    j = ["--threads", str(threads)]
    return {
        "scan secrets": [bin_, "--data-dir", dd, "scan", "secrets", *j, "--format", "json", "--output", "/dev/null", "."],
        "scan deps": [bin_, "--data-dir", dd, "scan", "deps", *j, "--format", "json", "--output", "/dev/null", "--max-db-age", "100000", "."],
        "scan code": [bin_, "--data-dir", dd, "scan", "code", *j, "--format", "json", "--output", "/dev/null", "pip"],
        "scan iac": [bin_, "--data-dir", dd, "scan", "iac", *j, "--format", "json", "--output", "/dev/null", "."],
        "gate (all four)": [bin_, "--data-dir", dd, "gate", *j, "--stage", "release", "--report", "json=/dev/null", "."],
    }

# Two settings: every scanner on all CPUs (the default), and one worker thread per scanner,
# which is what a runner with more cores than one scanner can use looks like to the gate.
settings = {"default threads (one per CPU)": 0, "one worker thread per scanner (`--threads 1`)": 1}
env = dict(os.environ, NO_COLOR="1")
# The gate reads the same advisory data; keep it from counting as out of date.
# The code scanner reads pip's sources only, in the gate as alone.
open(os.path.join(repo, "gatehouse.toml"), "w").write('[deps]\nmax-db-age-days = 100000\n\n[code]\npaths = ["pip"]\n')
wall = {(st, k): [] for st in settings for k in commands(0)}
cpu = {(st, k): [] for st in settings for k in commands(0)}
for r in range(runs + 1):          # round 0 is the warm-up
    for st, threads in settings.items():
        for name, cmd in commands(threads).items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            p = subprocess.run(cmd, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            dt = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if p.returncode not in (0, 1):
                sys.exit(f"{name}: exit {p.returncode}: {p.stderr.decode()[-500:]}")
            if r:
                wall[(st, name)].append(dt)
                cpu[(st, name)].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
files = sum(len(fs) for d, _, fs in os.walk(repo) if ".git" not in d.split(os.sep))
load = os.getloadavg()[0]
ncpu = os.cpu_count()
lines = [
    "## The gate",
    "",
    f"Reproduce with `bench/gate.sh` from the repository root ({runs} timed rounds after one warm-up; a round runs every command once in both settings, alternating, so noise spreads over all of them; medians). "
    f"Input: a git repository ({files:,} files) with the Python sources of pip (the code scanner's input: `[code] paths = [\"pip\"]`), the text files of the machine's Python install under `data/` (the secret benchmark's tree input, 195 MB: the secret scanner reads everything), the IaC scanner's corpus of real infrastructure files under `infra/` and uv's real Cargo.lock; RustSec advisories imported offline. "
    f"Machine: {ncpu} CPUs, 1-minute load {load:.2f} at the end. Last run: `{invocation}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
    "",
    "CPU is user + system time of the process. No concurrent run can beat the larger of the slowest scanner's wall time and the scanners' total CPU time divided by the CPUs (the lower bound below).",
]
for st in settings:
    med = {k: statistics.median(wall[(st, k)]) for k in commands(0)}
    mcpu = {k: statistics.median(cpu[(st, k)]) for k in commands(0)}
    scanners = [k for k in med if k.startswith("scan")]
    slowest = max(scanners, key=lambda k: med[k])
    total = sum(med[k] for k in scanners)
    bound = max(med[slowest], sum(mcpu[k] for k in scanners) / ncpu)
    gate = med["gate (all four)"]
    lines += ["", f"### {st[0].upper() + st[1:]}", "", "| command | median wall | median CPU | wall vs slowest scanner |", "|---|--:|--:|--:|"]
    for k in med:
        lines.append(f"| `{k}` | {med[k]:.2f} s | {mcpu[k]:.2f} s | {med[k] / med[slowest]:.2f}× |")
    lines += ["", f"Gate {gate:.2f} s: {gate / med[slowest]:.2f}× the slowest scanner alone (`{slowest}`, {med[slowest]:.2f} s), "
              f"{gate / total:.2f}× the sum of the four ({total:.2f} s), {gate / bound:.2f}× the lower bound ({bound:.2f} s)."]
lines += [
    "",
    "With one worker per scanner, the gate's scanners run on different cores: its wall time is the slowest scanner's plus what the others take from it when there are fewer cores than scanners. "
    "With the default, every scanner alone already keeps all CPUs busy, so no schedule can finish before the total CPU time divided by the CPUs; the gate's figure against the lower bound shows how close it comes.",
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
