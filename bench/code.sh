#!/usr/bin/env bash
# Static-analysis benchmark: Gatehouse's `scan code` against Semgrep (same rule files) and Bandit,
# for accuracy on the OWASP Benchmark for Python and for speed, in one run.
#
#   bench/code.sh [options]
#
#   --runs N          timed runs per tool and input (default 3), after the warm-up
#   --warmup N        untimed warm-up rounds before the timed ones (default 1)
#   --quick           1 timed run per tool, no warm-up
#   --only LIST       comma-separated subset of accuracy,stdlib,testcode
#                     (the other tables keep their last figures)
#   --tools LIST      comma-separated subset of gatehouse,semgrep,bandit
#   --jobs N          parallel jobs for both tools in the timed runs (default 2)
#   --semgrep-budget S  no further Semgrep run on an input once its runs there add up to more
#                     than S seconds, after at least one timed run (default 300: with the
#                     Python rules a Semgrep run on the standard library takes minutes)
#   --no-build        use the existing target/release/gatehouse without running cargo build
#   --no-install      do not install missing peers (skip them instead)
#   --no-write        do not update BENCHMARKS.md (results JSON only)
#   --timeout S       kill a single run after S seconds (default 3600)
#
# Accuracy: Gatehouse with its built-in rules, Semgrep with rules/sast/python, Bandit with its
# default plugins, each once over the benchmark's testcode/, scored per category as OWASP
# BenchmarkUtils does (bench/lib/code_score.py); the benchmark's stored Bandit SARIF is scored
# the same way as a check. Speed: Gatehouse and Semgrep with the same rule files over a copy of
# the Python standard library and over testcode/; their findings are compared and the
# differences written to bench/work/code/diff-<input>.txt (differences do not fail the run).
#
# The benchmark (GPL-3.0) is read in place from ../shared/data/sast-benchmark beside the
# repository, or from $GATEHOUSE_BENCH_DATA/sast-benchmark; nothing of it is copied.
#
# Everything it makes goes under bench/work/ (gitignored): the peers (bench/work/venv-code, a
# venv on Python >= 3.12, see below; CODE_BENCH_VENV=DIR uses an existing venv instead, and
# CODE_BENCH_RULES=DIR other rule files than rules/sast/python), the
# copy of the standard library (bench/work/code-inputs), reports, logs and
# results/code-*.json. A re-run reuses all of it. The table goes into BENCHMARKS.md between
# <!-- code:begin --> and <!-- code:end --> (bench/lib/code_table.py).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
work="$bench/work"
invocation="bench/code.sh${*:+ $*}"

runs=3 warmup=1 only="" tools_wanted="" jobs=2 semgrep_budget=300 no_install=0 no_write=0 no_build=0 timeout=3600
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --quick) runs=1; warmup=0; shift ;;
    --only) only="$2"; shift 2 ;;
    --tools) tools_wanted="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --semgrep-budget) semgrep_budget="$2"; shift 2 ;;
    --no-install) no_install=1; shift ;;
    --no-build) no_build=1; shift ;;
    --no-write) no_write=1; shift ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,"");print}' "$0"; exit 0 ;;
    *) echo "code.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for k in ${only//,/ }; do
  case "$k" in accuracy|stdlib|testcode) ;; *)
    echo "code.sh: --only takes accuracy,stdlib,testcode (not $k)" >&2; exit 2 ;;
  esac
done
for t in ${tools_wanted//,/ }; do
  case "$t" in gatehouse|semgrep|bandit) ;; *)
    echo "code.sh: --tools takes gatehouse,semgrep,bandit (not $t)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ && "$jobs" =~ ^[1-9][0-9]*$ && "$semgrep_budget" =~ ^[0-9]+$ ]] ||
  { echo "code.sh: --runs N (≥ 1), --warmup N (≥ 0), --jobs N (≥ 1), --semgrep-budget S (seconds)" >&2; exit 2; }

say() { printf '==> %s\n' "$*"; }
warn() { printf 'code.sh: warning: %s\n' "$*" >&2; }
die() { printf 'code.sh: error: %s\n' "$*" >&2; exit 1; }
wanted() { [[ -z "$tools_wanted" ]] || [[ ",$tools_wanted," == *",$1,"* ]]; }
measuring() { [[ -z "$only" ]] || [[ ",$only," == *",$1,"* ]]; }

# Peer versions are pinned so that successive runs compare like with like; override with the
# environment variables to try others.
SEMGREP_PYPI="${SEMGREP_PYPI:-semgrep==1.187.0}"
BANDIT_PYPI="${BANDIT_PYPI:-bandit==1.9.4}"
STDLIB_SRC="${STDLIB_SRC:-/usr/lib/python3.11}"

data="${GATEHOUSE_BENCH_DATA:-$root/../shared/data}"
benchmark="$data/sast-benchmark/BenchmarkPython"
[[ -d "$benchmark/testcode" && -f "$benchmark/expectedresults-0.1.csv" ]] ||
  die "the OWASP Benchmark for Python is not at $benchmark (set GATEHOUSE_BENCH_DATA to the shared data directory)"
benchmark="$(cd "$benchmark" && pwd)"
rules="${CODE_BENCH_RULES:-rules/sast/python}"

mkdir -p "$work/logs" "$work/results" "$work/code"
cd "$root"

# ---- prerequisites ------------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed (it runs the harness)"
if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing GNU time (CPU and peak RSS come from /usr/bin/time -v)"
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time; } ||
      die "could not apt-get install time"
  else
    die "GNU time is needed at /usr/bin/time (Debian: apt-get install time)"
  fi
fi
if wanted gatehouse || wanted semgrep; then
  [[ -d "$rules" ]] && compgen -G "$rules/*.y*ml" >/dev/null ||
    die "no rule files in $rules (set CODE_BENCH_RULES to another directory of Semgrep-syntax rules)"
fi

tool_args=() skip_args=() version_args=()
skip() { skip_args+=(--skip "$1=$2"); warn "$1 skipped: $2"; }

# ---- Gatehouse ----------------------------------------------------------------------------------
gh_args=()
if wanted gatehouse; then
  gh="${CARGO_TARGET_DIR:-$root/target}/release/gatehouse"
  if [[ $no_build -eq 0 ]]; then
    say "building Gatehouse (cargo build --release -p gatehouse)"
    cargo build --release -p gatehouse ||
      die "cargo build --release -p gatehouse failed (use --tools semgrep,bandit to measure the peers alone)"
  fi
  [[ -x "$gh" ]] || die "$gh does not exist (build it, or use --tools semgrep,bandit to measure the peers alone)"
  help="$("$gh" scan code --help 2>&1)" ||
    die "$gh has no working 'scan code' command yet (use --tools semgrep,bandit to measure the peers alone)"
  # Every file of the input, as Semgrep is told to scan it: the copy lies in a gitignored directory.
  if grep -q -- '--no-ignore' <<<"$help"; then gh_args+=(--gatehouse-arg=--no-ignore); fi
  tool_args+=(--tool "gatehouse=$gh")
  version_args+=(--version "gatehouse=$("$gh" --version 2>&1 | head -1 | sed "s/^gatehouse //")")
fi

# ---- peers: Semgrep and Bandit in one venv on Python >= 3.12 --------------------------------------
# The benchmark's test cases use PEP 701 f-strings, which only Python >= 3.12 parses; Bandit parses
# with its own interpreter, so on an older Python it would skip about 460 of them. Hence a venv of
# its own rather than bench/work/venv (Python 3 of the system, shared by the other benchmarks).
venv="${CODE_BENCH_VENV:-$work/venv-code}"
find_python() {
  local p
  for p in "${CODE_BENCH_PYTHON:-}" python3.13 python3.12 python3.14 \
           "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] python3; do
    [[ -n "$p" ]] || continue
    if "$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      command -v "$p" 2>/dev/null || echo "$p"; return 0
    fi
  done
  return 1
}
if { wanted semgrep || wanted bandit; } && [[ -z "${CODE_BENCH_VENV:-}" && ! -x "$venv/bin/python" ]]; then
  if [[ $no_install -eq 0 ]]; then
    base_py="$(find_python || true)"
    if [[ -z "$base_py" ]]; then
      base_py="python3"
      warn "no Python >= 3.12 found (set CODE_BENCH_PYTHON): Bandit will not parse the test cases written with PEP 701 f-strings"
    fi
    say "creating $venv with $base_py ($("$base_py" --version 2>&1))"
    "$base_py" -m venv "$venv" || die "could not create $venv"
  fi
fi
pip_peer() { # pip_peer REQUIREMENT
  [[ $no_install -eq 0 && -z "${CODE_BENCH_VENV:-}" && -x "$venv/bin/python" ]] || return 1
  say "installing $1 into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$1"
}
if wanted semgrep; then
  sg="$venv/bin/semgrep"
  [[ -x "$sg" ]] || pip_peer "$SEMGREP_PYPI" || true
  if [[ -x "$sg" ]] && sgv="$("$sg" --version --disable-version-check 2>/dev/null | tail -1)" && [[ -n "$sgv" ]]; then
    tool_args+=(--tool "semgrep=$sg"); version_args+=(--version "semgrep=$sgv")
  else
    skip semgrep "could not be installed from PyPI ($SEMGREP_PYPI)"
  fi
fi
if wanted bandit; then
  bd="$venv/bin/bandit"
  [[ -x "$bd" ]] || pip_peer "$BANDIT_PYPI" || true
  if [[ -x "$bd" ]] && bdv="$("$bd" --version 2>/dev/null | head -1 | sed 's/^bandit //')" && [[ -n "$bdv" ]]; then
    tool_args+=(--tool "bandit=$bd"); version_args+=(--version "bandit=$bdv")
  else
    skip bandit "could not be installed from PyPI ($BANDIT_PYPI)"
  fi
fi
if wanted bandit && [[ -x "$venv/bin/python" ]] &&
   ! "$venv/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  warn "$venv runs Python < 3.12: Bandit will not parse the test cases written with PEP 701 f-strings"
fi
if [[ -x "$venv/bin/python" ]] && { wanted semgrep || wanted bandit; }; then
  version_args+=(--version "python=$("$venv/bin/python" -c 'import platform; print(platform.python_version())') (the peers' venv)")
fi
[[ ${#tool_args[@]} -gt 0 ]] || die "no tool to measure"

# ---- inputs -------------------------------------------------------------------------------------
input_args=()
if measuring stdlib; then
  [[ -d "$STDLIB_SRC" ]] || die "$STDLIB_SRC does not exist (set STDLIB_SRC to a Python standard library)"
  python3 "$bench/lib/code_inputs.py" copy --src "$STDLIB_SRC" --out "$work/code-inputs/stdlib" ||
    die "copying the standard library failed (bench/lib/code_inputs.py)"
  input_args+=(--input "stdlib=$work/code-inputs/stdlib" --input-stats "stdlib=$work/code-inputs/stdlib.json")
fi
if measuring testcode; then
  python3 "$bench/lib/code_inputs.py" stats --src "$benchmark/testcode" --out "$work/code-inputs/testcode.json" ||
    die "describing testcode/ failed (bench/lib/code_inputs.py)"
  input_args+=(--input "testcode=$benchmark/testcode" --input-stats "testcode=$work/code-inputs/testcode.json")
fi

# ---- machine and run metadata -------------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
meta="$work/results/code-meta-$stamp.json"
python3 - "$meta" "$invocation" <<'EOF'
import json, os, platform, subprocess, sys, datetime
out, invocation = sys.argv[1:3]
def first(path, prefix, sep):
    try:
        for line in open(path):
            if line.startswith(prefix):
                return line.split(sep, 1)[1].strip()
    except OSError:
        pass
    return ""
mem = first("/proc/meminfo", "MemTotal:", ":")
try:
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
except OSError:
    rustc = ""
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "command": invocation, "nproc": os.cpu_count(), "cpu": first("/proc/cpuinfo", "model name", ":") or "unknown",
    "ram_gib": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else 0, "kernel": platform.release(),
    "os": first("/etc/os-release", "PRETTY_NAME=", "=").strip('"'), "rustc": rustc,
    "load_before": os.getloadavg()[0],
}, open(out, "w"), indent=2)
EOF

# ---- measure ------------------------------------------------------------------------------------
kinds=()
for k in accuracy stdlib testcode; do measuring "$k" && kinds+=("$k"); done
results="$work/results/code-$stamp.json"
say "measuring: ${kinds[*]}; warm-up rounds $warmup, timed runs $runs, $jobs jobs"
# Arguments through a file, one per line, as bench/secrets.sh passes them.
args_file="$work/results/code-args-$stamp.txt"
printf '%s\n' --workdir "$work" --meta "$meta" --out "$results" --rules "$rules" --benchmark "$benchmark" \
  --runs "$runs" --warmup "$warmup" --jobs "$jobs" --semgrep-budget "$semgrep_budget" --timeout "$timeout" --only "$(IFS=,; echo "${kinds[*]}")" \
  "${tool_args[@]}" ${skip_args[@]+"${skip_args[@]}"} ${version_args[@]+"${version_args[@]}"} \
  ${input_args[@]+"${input_args[@]}"} ${gh_args[@]+"${gh_args[@]}"} >"$args_file"
python3 "$bench/lib/code_bench.py" "@$args_file"
ln -sfn "$(basename "$results")" "$work/results/code-latest.json"

if [[ $no_write -eq 0 ]]; then
  python3 "$bench/lib/code_table.py" "$results" "$root/BENCHMARKS.md"
  say "BENCHMARKS.md updated (static-analysis section)"
fi
python3 "$bench/lib/code_table.py" --print "$results"
