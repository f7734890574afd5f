#!/usr/bin/env bash
# Infrastructure-as-code benchmark: Gatehouse's `scan iac` against Checkov, on the same corpus of
# real Dockerfiles, Kubernetes manifests, Compose files, Terraform and CI definitions
# (crates/iac/tests/corpus, provenance in its PROVENANCE.tsv), for speed and per-check agreement.
#
#   bench/iac.sh [options]
#
#   --runs N          timed runs per tool (default 3), after the warm-up; the tools alternate
#   --warmup N        untimed warm-up rounds before the timed ones (default 1)
#   --quick           1 timed run per tool, no warm-up
#   --peers-only      do not build or time Gatehouse (Checkov alone: tests the harness)
#   --no-build        time the existing release binary without running cargo build
#   --no-install      do not install Checkov if it is missing (fail instead)
#   --no-write        do not update BENCHMARKS.md (results JSON only)
#   --examples N      disagreeing examples kept per mapped pair (default 5)
#   --checkov-framework LIST  Checkov's --framework values, comma-separated, or "all" for its own
#                     detection of every framework (default: the kinds Gatehouse reads:
#                     dockerfile,kubernetes,terraform,github_actions,gitlab_ci)
#   --corpus DIR      another corpus directory (default crates/iac/tests/corpus)
#   --timeout S       kill a single run after S seconds (default 3600)
#
# Gatehouse runs as `gatehouse scan iac --format json --output FILE CORPUS` (exit 0: no findings,
# 1: findings). Until that command exists the script says "gatehouse scan iac not available" and
# times Checkov alone. Checkov (pinned, from PyPI) runs fully offline: --skip-download and the
# environment variables set in bench/lib/iac_bench.py (no platform mapping, no update check, no
# GitHub/GitLab API; hidden directories scanned so that .github/workflows reach it).
#
# Agreement: bench/lib/iac_checkov_map.tsv maps Checkov check ids to Gatehouse check ids (columns:
# checkov, gatehouse, unit, note; '|' joins several ids, '-' means none). Per pair the table
# counts the files (or Terraform resources) flagged by both, by Checkov only and by Gatehouse
# only; bench/work/iac/disagreements.txt lists examples of each, and the top ones are printed, so
# that a person can classify them and write the class into the note column.
#
# Everything it makes goes under bench/work/ (gitignored): the venv with Checkov
# (bench/work/venv-iac), reports and logs (bench/work/iac), results/iac-*.json. The table goes into
# BENCHMARKS.md between <!-- iac:begin --> and <!-- iac:end --> (bench/lib/iac_table.py).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
work="$bench/work"
invocation="bench/iac.sh${*:+ $*}"

runs=3 warmup=1 peers_only=0 no_build=0 no_install=0 no_write=0 examples=5 timeout=3600
frameworks="dockerfile,kubernetes,terraform,github_actions,gitlab_ci"
corpus="$root/crates/iac/tests/corpus"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --quick) runs=1; warmup=0; shift ;;
    --peers-only) peers_only=1; shift ;;
    --no-build) no_build=1; shift ;;
    --no-install) no_install=1; shift ;;
    --no-write) no_write=1; shift ;;
    --examples) examples="$2"; shift 2 ;;
    --checkov-framework) frameworks="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,"");print}' "$0"; exit 0 ;;
    *) echo "iac.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ && "$examples" =~ ^[0-9]+$ && "$timeout" =~ ^[0-9]+$ ]] ||
  { echo "iac.sh: --runs N (≥ 1), --warmup N (≥ 0), --examples N, --timeout S (seconds)" >&2; exit 2; }

say() { printf '==> %s\n' "$*"; }
warn() { printf 'iac.sh: warning: %s\n' "$*" >&2; }
die() { printf 'iac.sh: error: %s\n' "$*" >&2; exit 1; }

# Pinned so that successive runs compare like with like; override to try another version.
CHECKOV_PYPI="${CHECKOV_PYPI:-checkov==3.3.30}"

[[ -d "$corpus" ]] || die "no corpus at $corpus"
corpus="$(cd "$corpus" && pwd)"
map="$bench/lib/iac_checkov_map.tsv"
[[ -f "$map" ]] || die "the check mapping $map is missing"
mkdir -p "$work/results" "$work/iac"
cd "$root"

# ---- prerequisites ------------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed (it runs the harness)"
if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing GNU time (peak RSS comes from /usr/bin/time -v)"
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time; } ||
      die "could not apt-get install time"
  else
    die "GNU time is needed at /usr/bin/time (Debian: apt-get install time)"
  fi
fi

tool_args=() skip_args=() version_args=()
skip() { skip_args+=(--skip "$1=$2"); warn "$1 skipped: $2"; }

# ---- Gatehouse ----------------------------------------------------------------------------------
if [[ $peers_only -eq 1 ]]; then
  skip gatehouse "not measured (--peers-only)"
else
  gh="${CARGO_TARGET_DIR:-$root/target}/release/gatehouse"
  built=1
  if [[ $no_build -eq 0 ]]; then
    say "building Gatehouse (cargo build --release -p gatehouse)"
    cargo build --release -p gatehouse || { built=0; warn "cargo build --release -p gatehouse failed"; }
  fi
  if [[ $built -eq 1 && -x "$gh" ]] && help="$("$gh" scan iac --help 2>&1)"; then
    tool_args+=(--tool "gatehouse=$gh")
    # Every file of the corpus, as Checkov sees it, even where it lies in a gitignored directory.
    if grep -q -- '--no-ignore' <<<"$help"; then tool_args+=(--gatehouse-arg=--no-ignore); fi
    version_args+=(--version "gatehouse=$("$gh" --version 2>&1 | head -1 | sed "s/^gatehouse //")")
  else
    say "gatehouse scan iac not available: timing Checkov alone"
    skip gatehouse "gatehouse scan iac not available ($gh)"
  fi
fi

# ---- Checkov ------------------------------------------------------------------------------------
venv="$work/venv-iac"
ck="$venv/bin/checkov"
if [[ ! -x "$ck" ]]; then
  [[ $no_install -eq 0 ]] || die "Checkov is not installed in $venv (run without --no-install)"
  if [[ ! -x "$venv/bin/python" ]]; then
    say "creating $venv"
    python3 -m venv "$venv" || die "could not create $venv"
  fi
  say "installing $CHECKOV_PYPI into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$CHECKOV_PYPI" ||
    die "could not install $CHECKOV_PYPI from PyPI"
fi
ck_version="$(CKV_SKIP_PACKAGE_UPDATE_CHECK=true "$ck" --version 2>/dev/null | tail -1)" ||
  die "$ck does not run"
tool_args+=(--tool "checkov=$ck")
version_args+=(--version "checkov=$ck_version")

# ---- machine and run metadata -------------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
meta="$work/results/iac-meta-$stamp.json"
python3 - "$meta" "$invocation" <<'EOF'
import json, os, platform, sys, datetime
out, invocation = sys.argv[1:3]
def first(path, prefix, split=":"):
    try:
        for line in open(path):
            if line.startswith(prefix):
                return line.split(split, 1)[1].strip()
    except OSError:
        pass
    return ""
mem = first("/proc/meminfo", "MemTotal:")
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "command": invocation, "nproc": os.cpu_count(), "cpu": first("/proc/cpuinfo", "model name") or "unknown",
    "ram_gib": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else 0, "kernel": platform.release(),
    "os": first("/etc/os-release", "PRETTY_NAME=", "=").strip('"'), "load_before": os.getloadavg()[0],
}, open(out, "w"), indent=2)
EOF

# ---- measure ------------------------------------------------------------------------------------
results="$work/results/iac-$stamp.json"
say "timing over $corpus: warm-up rounds $warmup, timed runs $runs"
args_file="$work/results/iac-args-$stamp.txt"
printf '%s\n' --workdir "$work" --corpus "$corpus" --map "$map" --meta "$meta" --out "$results" \
  --runs "$runs" --warmup "$warmup" --timeout "$timeout" --examples "$examples" \
  --checkov-framework "$frameworks" \
  "${tool_args[@]}" ${skip_args[@]+"${skip_args[@]}"} "${version_args[@]}" >"$args_file"
python3 "$bench/lib/iac_bench.py" "@$args_file"
ln -sfn "$(basename "$results")" "$work/results/iac-latest.json"

if [[ $no_write -eq 0 ]]; then
  python3 "$bench/lib/iac_table.py" "$results" "$root/BENCHMARKS.md"
  say "BENCHMARKS.md updated (iac section)"
fi
python3 "$bench/lib/iac_table.py" --print "$results"
