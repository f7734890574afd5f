#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the server's tests (idempotent: a cluster this script
# already started is reused) and prints its URL on standard output:
#
#   export GATEHOUSE_TEST_DATABASE_URL="$(bash .ci/postgres.sh)"
#
# The cluster lives in $GATEHOUSE_PG_DIR (default /tmp/gatehouse-pg), listens on 127.0.0.1 on a
# free port, trusts local connections and is stopped with:
#   pg_ctl -D "$GATEHOUSE_PG_DIR/data" stop   (as the postgres user when run as root)
set -euo pipefail

dir="${GATEHOUSE_PG_DIR:-/tmp/gatehouse-pg}"
log() { echo "postgres.sh: $*" >&2; }

bin=""
for v in 15 16 17 14 13; do
    if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then
        bin="/usr/lib/postgresql/$v/bin"
        break
    fi
done
if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing PostgreSQL from Debian's packages"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    else
        log "no PostgreSQL binaries under /usr/lib/postgresql (install Debian's postgresql package)"
        exit 1
    fi
fi

# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user.
if [ "$(id -u)" = 0 ]; then
    owner=postgres
    as_owner() { runuser -u postgres -- "$@"; }
else
    owner="$(id -un)"
    as_owner() { "$@"; }
fi

mkdir -p "$dir"
chown "$owner" "$dir"
data="$dir/data"

port_file="$dir/port"
if [ -f "$port_file" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port="$(cat "$port_file")"
    log "reusing the cluster in $data on port $port"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    exit 0
fi

if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a cluster in $data"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
fi

# A free loopback port: nothing answers on it.
port=""
for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        port="$p"
        break
    fi
done
if [ -z "$port" ]; then
    log "no free port in 55432-55532"
    exit 1
fi

as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >&2
echo "$port" > "$port_file"
log "started on port $port (log: $dir/server.log)"
echo "postgres://postgres@127.0.0.1:$port/postgres"
