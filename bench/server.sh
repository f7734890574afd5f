#!/usr/bin/env bash
# Platform server benchmark: ingest, listing latency at a million stored findings, and sustained
# mixed API load, on SQLite and on PostgreSQL, through HTTP against `gatehouse serve`.
#
#   bench/server.sh [options]
#
#   --runs N            ingest runs per backend (default 3; the median is reported)
#   --findings N        findings in the ingest upload (default 100000)
#   --stored N          findings stored before listings are measured (default 1000000)
#   --projects N        projects the seeded findings are spread over (default 100)
#   --requests N        timed requests per listing shape and page (default 100)
#   --duration S        seconds of each wrk run (default 30)
#   --connections LIST  wrk connection counts, comma-separated (default 4,16,64)
#   --backends LIST     sqlite,postgres (default both)
#   --quick             --runs 1 --stored 300000 --requests 30 --duration 10 --connections 16
#   --no-build          use the existing release binary
#   --no-write          do not update BENCHMARKS.md (results JSON only)
#
# For each backend: a fresh database (SQLite: a file in a new data directory; PostgreSQL: a new
# database in a throwaway cluster from .ci/postgres.sh, in bench/work/server/pg), bootstrapped
# with `gatehouse admin create-user` and `create-token` (an administrator, a security person
# who approves triage requests, a developer in two of the ten teams), `gatehouse serve` on
# 127.0.0.1, then bench/lib/server_bench.py measures (a) ingest, (b) seeding and listing
# latency, (c) wrk load (installed from Debian when missing). Results go to
# bench/work/results/server-*.json and, through bench/lib/server_table.py, into BENCHMARKS.md
# between <!-- server:begin --> and <!-- server:end -->.
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
work="$bench/work"
invocation="bench/server.sh${*:+ $*}"

runs=3 findings=100000 stored=1000000 projects=100 requests=100 duration=30 connections=4,16,64
backends=sqlite,postgres build=1 write=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --findings) findings="$2"; shift 2 ;;
    --stored) stored="$2"; shift 2 ;;
    --projects) projects="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --quick) runs=1 stored=300000 requests=30 duration=10 connections=16; shift ;;
    --no-build) build=0; shift ;;
    --no-write) write=0; shift ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,"");print}' "$0"; exit 0 ;;
    *) echo "server.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }
die() { printf 'server.sh: error: %s\n' "$*" >&2; exit 1; }

cd "$root"
mkdir -p "$work/results" "$work/server"
command -v python3 >/dev/null || die "python3 is needed (it runs the client side)"

# ---- the binary ---------------------------------------------------------------------------------
gh="${CARGO_TARGET_DIR:-$root/target}/release/gatehouse"
if [[ $build == 1 ]]; then
  say "building Gatehouse (cargo build --release -p gatehouse)"
  cargo build --release -q -p gatehouse
fi
[[ -x "$gh" ]] || die "no release binary at $gh (run without --no-build)"

# ---- wrk from Debian ----------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing wrk from Debian"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >&2 ||
      die "could not apt-get install wrk"
  else
    die "wrk is needed (Debian: apt-get install wrk)"
  fi
fi

# ---- one backend --------------------------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run_backend() {
  local backend="$1" dir="$work/server/$1" url
  rm -rf "$dir" && mkdir -p "$dir"
  case "$backend" in
    sqlite) url="sqlite://$dir/gatehouse.db?mode=rwc" ;;
    postgres)
      local admin_url
      admin_url="$(GATEHOUSE_PG_DIR="$work/server/pg" bash "$root/.ci/postgres.sh")"
      psql -q "$admin_url" -c "DROP DATABASE IF EXISTS gatehouse_bench WITH (FORCE)" \
        -c "CREATE DATABASE gatehouse_bench" >/dev/null
      url="${admin_url%/*}/gatehouse_bench"
      ;;
    *) die "unknown backend $backend (sqlite, postgres)" ;;
  esac
  local db=(--database-url "$url") after_seed=""
  # PostgreSQL's statistics after the bulk load, as autovacuum would gather them in its next
  # minutes (SQLite keeps none: its plans come from the indexes' shapes).
  [[ $backend == postgres ]] && after_seed="psql -q '$url' -c 'VACUUM (ANALYZE)'"
  say "$backend: bootstrapping"
  ADMIN_PASSWORD=bench-admin-password "$gh" admin create-user --name Admin --email admin@bench.example \
    --role administrator --password-env ADMIN_PASSWORD "${db[@]}" >/dev/null 2>&1
  "$gh" admin create-user --name Sec --email sec@bench.example --role security "${db[@]}" >/dev/null 2>&1
  "$gh" admin create-user --name Dev --email dev@bench.example --role developer \
    --team team-01 --team team-02 "${db[@]}" >/dev/null 2>&1
  local admin_token sec_token dev_token
  admin_token="$("$gh" admin create-token --name bench-admin --role administrator --user admin@bench.example "${db[@]}" 2>/dev/null)"
  sec_token="$("$gh" admin create-token --name bench-security --role security --user sec@bench.example "${db[@]}" 2>/dev/null)"
  dev_token="$("$gh" admin create-token --name bench-dev --role developer --user dev@bench.example "${db[@]}" 2>/dev/null)"

  local port
  port="$(free_port)"
  "$gh" serve --listen "127.0.0.1:$port" --max-upload-bytes $((512 << 20)) "${db[@]}" \
    >"$dir/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/api/v1/openapi.json" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || die "gatehouse serve stopped: $(tail -5 "$dir/serve.log")"
    sleep 0.2
  done
  # The rest of the teams (create-user made team-01 and team-02).
  for t in $(seq 3 10); do
    curl -fsS -o /dev/null -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
      -d "{\"name\": \"team-$(printf %02d "$t")\"}" "http://127.0.0.1:$port/api/v1/teams"
  done

  say "$backend: measuring (server log: $dir/serve.log)"
  python3 "$bench/lib/server_bench.py" run --url "http://127.0.0.1:$port" \
    --admin-token "$admin_token" --security-token "$sec_token" --dev-token "$dev_token" \
    --backend "$backend" --out "$work/results/server-$backend-$stamp.json" --work "$dir" --cache "$work/server/reports" \
    --runs "$runs" --findings "$findings" --stored "$stored" --projects "$projects" \
    --requests "$requests" --duration "$duration" --connections "$connections" \
    ${after_seed:+--after-seed "$after_seed"}
  stop_server
  case "$backend" in
    sqlite) du -sb "$dir" | cut -f1 >"$dir/size" ;;
    postgres) psql -Atq "${url}" -c "SELECT pg_database_size(current_database())" >"$dir/size" ;;
  esac
}

# ---- machine and run metadata -------------------------------------------------------------------
meta="$work/results/server-meta-$stamp.json"
python3 - "$meta" "$invocation" "$gh" <<'EOF'
import json, os, platform, subprocess, sys, datetime
out, invocation, gh = sys.argv[1:4]
def first(path, prefix, split=":"):
    try:
        for line in open(path):
            if line.startswith(prefix):
                return line.split(split, 1)[1].strip()
    except OSError:
        pass
    return ""
def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        return ""
mem = first("/proc/meminfo", "MemTotal:")
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "command": invocation, "nproc": os.cpu_count(), "cpu": first("/proc/cpuinfo", "model name") or "unknown",
    "ram_gib": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else 0, "kernel": platform.release(),
    "os": first("/etc/os-release", "PRETTY_NAME=", "=").strip('"'), "load_before": os.getloadavg()[0],
    "gatehouse": version([gh, "--version"]), "wrk": version(["wrk", "-v"]).split(" Copyright")[0],
    "postgres": version(["psql", "--version"]), "python": platform.python_version(),
}, open(out, "w"), indent=2)
EOF

IFS=, read -r -a backend_list <<<"$backends"
for b in "${backend_list[@]}"; do
  run_backend "$b"
done
python3 - "$meta" "$work" "$stamp" <<'EOF'
import json, os, sys
meta, work, stamp = sys.argv[1:4]
m = json.load(open(meta))
m["load_after"] = os.getloadavg()[0]
for b in ("sqlite", "postgres"):
    try:
        m.setdefault("db_bytes", {})[b] = int(open(f"{work}/server/{b}/size").read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
json.dump(m, open(meta, "w"), indent=2)
EOF

results=("$work/results/server-meta-$stamp.json")
for b in "${backend_list[@]}"; do results+=("$work/results/server-$b-$stamp.json"); done
if [[ $write == 1 ]]; then
  python3 "$bench/lib/server_table.py" --write "$root/BENCHMARKS.md" "${results[@]}"
  say "BENCHMARKS.md updated (server section)"
fi
python3 "$bench/lib/server_table.py" "${results[@]}"
