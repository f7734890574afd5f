#!/usr/bin/env bash
# Dependency-scanning benchmark and differential check: Gatehouse against cargo-audit and
# pip-audit, on the same inputs and the same advisory data, offline, in one run.
#
#   bench/deps.sh [options]
#
#   --runs N          timed runs per tool and input (default 5), after the warm-up
#   --warmup N        untimed warm-up rounds before the timed ones (default 1)
#   --quick           1 timed run per tool, no warm-up
#   --only LIST       comma-separated subset of import,cargo,requirements,monorepo,check
#                     (check = the differential check; the other rows keep their last figures)
#   --tools LIST      comma-separated subset of gatehouse,cargo-audit,pip-audit
#   --check-only      run the differential check alone; exit non-zero on any difference
#   --peers-only      do not build or time Gatehouse (for testing the harness)
#   --no-build        use the existing target/release/gatehouse without running cargo build
#   --no-install      do not install missing peers (skip them instead)
#   --no-write        do not update BENCHMARKS.md (results JSON only)
#   --timeout S       kill a single run after S seconds (default 3600)
#
# The data (advisories, lockfiles, stored peer outputs) is read from ../shared/data beside the
# repository, or from $GATEHOUSE_BENCH_DATA.
#
# The differential check (bench/lib/deps_check.py) compares, for every Cargo.lock fixture of
# the shared data, the (advisory, package, version) matches of Gatehouse with those of
# cargo-audit, both over the RustSec advisory-db, and with cargo-audit's stored output; it
# also checks that pip-audit through the OSV shim reproduces its stored output. Any difference
# is printed and makes the exit code 1 (after the timings, in a full run).
#
# Everything it makes goes under bench/work/ (gitignored): cargo-audit (cargo install --root
# bench/work/cargo), pip-audit (bench/work/venv), the inputs (bench/lib/make-deps-inputs.py into
# bench/work/deps-inputs), data directories, reports, logs and results/deps-*.json. A re-run
# reuses all of it. The table goes into BENCHMARKS.md between <!-- deps:begin --> and
# <!-- deps:end --> (bench/lib/deps_table.py).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
work="$bench/work"
invocation="bench/deps.sh${*:+ $*}"

runs=5 warmup=1 only="" tools_wanted="" check_only=0 peers_only=0 no_install=0 no_write=0 no_build=0 timeout=3600
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --quick) runs=1; warmup=0; shift ;;
    --only) only="$2"; shift 2 ;;
    --tools) tools_wanted="$2"; shift 2 ;;
    --check-only) check_only=1; shift ;;
    --peers-only) peers_only=1; shift ;;
    --no-install) no_install=1; shift ;;
    --no-build) no_build=1; shift ;;
    --no-write) no_write=1; shift ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,"");print}' "$0"; exit 0 ;;
    *) echo "deps.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for k in ${only//,/ }; do
  case "$k" in import|cargo|requirements|monorepo|check) ;; *)
    echo "deps.sh: --only takes import,cargo,requirements,monorepo,check (not $k)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ ]] || { echo "deps.sh: --runs N (≥ 1), --warmup N (≥ 0)" >&2; exit 2; }

say() { printf '==> %s\n' "$*"; }
warn() { printf 'deps.sh: warning: %s\n' "$*" >&2; }
die() { printf 'deps.sh: error: %s\n' "$*" >&2; exit 1; }
wanted() { [[ -z "$tools_wanted" ]] || [[ ",$tools_wanted," == *",$1,"* ]]; }
measuring() { [[ $check_only -eq 0 ]] && { [[ -z "$only" ]] || [[ ",$only," == *",$1,"* ]]; }; }
checking() { [[ $check_only -eq 1 ]] || { [[ $peers_only -eq 0 ]] && [[ -z "$only" || ",$only," == *",check,"* ]]; }; }

# Peer versions are pinned (the stored outputs in the shared data come from these); override
# with the environment variables to try others.
CARGO_AUDIT_VERSION="${CARGO_AUDIT_VERSION:-0.22.2}"
PIP_AUDIT_PYPI="${PIP_AUDIT_PYPI:-pip-audit==2.10.1}"

data="${GATEHOUSE_BENCH_DATA:-$root/../shared/data}"
[[ -d "$data/advisories" && -d "$data/lockfiles" ]] ||
  die "the shared data is not at $data (set GATEHOUSE_BENCH_DATA to its directory)"
data="$(cd "$data" && pwd)"

mkdir -p "$work/logs" "$work/results" "$work/deps"
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

tool_args=() skip_args=() version_args=()
skip() { skip_args+=(--skip "$1=$2"); warn "$1 skipped: $2"; }

# ---- the venv: pip-audit, and PyYAML + packaging for the OSV shim and the input generator --------
venv="$work/venv"
if [[ ! -x "$venv/bin/python" ]]; then
  [[ $no_install -eq 0 ]] || die "$venv does not exist (run without --no-install to create it)"
  say "creating $venv"
  python3 -m venv "$venv"
fi
py="$venv/bin/python"
if ! "$py" -c 'import yaml, packaging' 2>/dev/null; then
  [[ $no_install -eq 0 ]] || die "the venv lacks PyYAML/packaging (run without --no-install)"
  say "installing PyYAML and packaging into $venv"
  "$py" -m pip install -q --disable-pip-version-check PyYAML packaging
fi

# ---- Gatehouse ------------------------------------------------------------------------------------
gh=""
if [[ $peers_only -eq 1 ]]; then
  [[ $check_only -eq 0 ]] || die "--check-only needs Gatehouse (not --peers-only)"
  skip gatehouse "not measured (--peers-only)"
elif wanted gatehouse || checking; then
  gh="$root/target/release/gatehouse"
  if [[ $no_build -eq 0 ]]; then
    say "building Gatehouse (cargo build --release -p gatehouse)"
    cargo build --release -p gatehouse ||
      die "cargo build --release -p gatehouse failed (use --peers-only to time the peers alone)"
  fi
  [[ -x "$gh" ]] || die "$gh does not exist (build it, or use --peers-only to time the peers alone)"
  "$gh" scan deps --help >/dev/null 2>&1 ||
    die "$gh has no working 'scan deps' command yet (use --peers-only to time the peers alone)"
  "$gh" db import --help >/dev/null 2>&1 || die "$gh has no working 'db import' command yet"
  if wanted gatehouse; then
    tool_args+=(--tool "gatehouse=$gh")
    version_args+=(--version "gatehouse=$("$gh" --version 2>&1 | head -1 | sed "s/^gatehouse //")")
  fi
fi

# ---- cargo-audit ------------------------------------------------------------------------------------
ca=""
if wanted cargo-audit || checking; then
  ca_bin="$work/cargo/bin/cargo-audit"
  # Another cargo-audit install into the same root may be running (a previous run of this
  # script): wait for it rather than start a second one.
  while [[ ! -x "$ca_bin" ]] && pgrep -f "cargo install cargo-audit .*--root $work/cargo" >/dev/null; do
    say "waiting for the running cargo-audit install to finish (bench/work/logs/cargo-audit-install.log)"
    sleep 30
  done
  if [[ ! -x "$ca_bin" && $no_install -eq 0 ]]; then
    say "installing cargo-audit $CARGO_AUDIT_VERSION (cargo install --locked --root $work/cargo; log: bench/work/logs/cargo-audit-install.log)"
    cargo install cargo-audit --locked --version "$CARGO_AUDIT_VERSION" --root "$work/cargo" \
      >"$work/logs/cargo-audit-install.log" 2>&1 || warn "cargo install cargo-audit failed (see the log)"
  fi
  if [[ -x "$ca_bin" ]] && "$ca_bin" --version >/dev/null 2>&1; then
    ca="$ca_bin"
    if wanted cargo-audit; then
      tool_args+=(--tool "cargo-audit=$ca")
      version_args+=(--version "cargo-audit=$("$ca" --version | sed 's/^cargo-audit //; s/^cargo-audit-audit //')")
    fi
  elif wanted cargo-audit; then
    skip cargo-audit "could not be installed (cargo install cargo-audit --locked --version $CARGO_AUDIT_VERSION)"
  fi
fi

# cargo-audit reads the RustSec data in place: with --no-fetch its --db may be a plain directory
# in advisory-db's layout (it reports `last-commit: null`, as the stored outputs do).
rustsec_db="$data/advisories/rustsec"

# ---- pip-audit ----------------------------------------------------------------------------------------
pa=""
if wanted pip-audit || checking; then
  if [[ ! -x "$venv/bin/pip-audit" && $no_install -eq 0 ]]; then
    say "installing $PIP_AUDIT_PYPI into $venv"
    "$py" -m pip install -q --disable-pip-version-check "$PIP_AUDIT_PYPI" || warn "pip install $PIP_AUDIT_PYPI failed"
  fi
  if [[ -x "$venv/bin/pip-audit" ]] && "$venv/bin/pip-audit" --version >/dev/null 2>&1; then
    pa="$venv/bin/pip-audit"
    if wanted pip-audit; then
      tool_args+=(--tool "pip-audit=$pa")
      version_args+=(--version "pip-audit=$("$pa" --version | sed 's/^pip-audit //')")
    fi
  elif wanted pip-audit; then
    skip pip-audit "could not be installed from PyPI ($PIP_AUDIT_PYPI)"
  fi
fi

# ---- machine and run metadata -----------------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
meta="$work/results/deps-meta-$stamp.json"
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

# ---- the differential check ---------------------------------------------------------------------------
check_json="" check_rc=0
if checking; then
  check_json="$work/results/deps-check-$stamp.json"
  say "differential check against cargo-audit (bench/lib/deps_check.py)"
  check_args=(--data "$data" --workdir "$work" --out "$check_json" --python "$py")
  [[ -n "$gh" ]] && check_args+=(--gatehouse "$gh")
  [[ -n "$ca" ]] && check_args+=(--cargo-audit "$ca" --rustsec-db "$rustsec_db")
  [[ -n "$pa" ]] && check_args+=(--pip-audit "$pa")
  "$py" "$bench/lib/deps_check.py" "${check_args[@]}" || check_rc=$?
  if [[ $check_rc -ne 0 ]]; then
    printf '\ndeps.sh: THE DIFFERENTIAL CHECK FAILED (exit %s): see the DIFFERENCE/PROBLEM lines above and %s\n\n' \
      "$check_rc" "$check_json" >&2
  fi
  if [[ $check_only -eq 1 ]]; then
    exit "$check_rc"
  fi
fi

# ---- inputs and timings ------------------------------------------------------------------------------
kinds=()
for k in import cargo requirements monorepo; do measuring "$k" && kinds+=("$k"); done
results="$work/results/deps-$stamp.json"
if [[ ${#kinds[@]} -gt 0 ]]; then
  [[ ${#tool_args[@]} -gt 0 ]] || die "no tool to measure"
  "$py" "$bench/lib/make-deps-inputs.py" --data "$data" --out "$work/deps-inputs" ||
    die "generating the inputs failed (bench/lib/make-deps-inputs.py)"
  say "timing: ${kinds[*]}; warm-up rounds $warmup, timed runs $runs"
  # Arguments through a file, one per line, as bench/secrets.sh passes them.
  args_file="$work/results/deps-args-$stamp.txt"
  printf '%s\n' --workdir "$work" --meta "$meta" --out "$results" --inputs "$work/deps-inputs" \
    --advisories "$data/advisories" --rustsec-db "$rustsec_db" --python "$py" \
    --runs "$runs" --warmup "$warmup" --timeout "$timeout" --only "$(IFS=,; echo "${kinds[*]}")" \
    "${tool_args[@]}" ${skip_args[@]+"${skip_args[@]}"} ${version_args[@]+"${version_args[@]}"} \
    ${check_json:+--check} ${check_json:+"$check_json"} >"$args_file"
  "$py" "$bench/lib/deps_bench.py" "@$args_file"
elif [[ -n "$check_json" ]]; then
  # --only check: a results file with the check alone (the timings keep their last figures).
  python3 - "$results" "$meta" "$check_json" <<'EOF'
import json, os, sys
out, meta, check = sys.argv[1:4]
m = json.load(open(meta)); m["load_after"] = os.getloadavg()[0]
json.dump({"meta": m, "versions": {}, "inputs": {}, "check": json.load(open(check)), "partial": False},
          open(out, "w"), indent=2)
EOF
fi
ln -sfn "$(basename "$results")" "$work/results/deps-latest.json"

if [[ $no_write -eq 0 ]]; then
  python3 "$bench/lib/deps_table.py" "$results" "$root/BENCHMARKS.md"
  say "BENCHMARKS.md updated (deps section)"
fi
python3 "$bench/lib/deps_table.py" --print "$results"
if [[ $check_rc -ne 0 ]]; then
  die "the differential check found differences or problems (see above): exit 1"
fi
