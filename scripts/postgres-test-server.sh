#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start` creates a cluster under .build/postgres-test (initdb, trust
# authentication, no fsync), listening on 127.0.0.1 on a free port and on a Unix socket in that directory, and
# prints the URL to export as HERALD_TEST_POSTGRES_URL; `stop` stops it and deletes the cluster. The server runs as
# the current user, or as the `postgres` user when run as root (PostgreSQL refuses to run as root); when that user
# cannot reach .build (a checkout under /root), the cluster goes to a temporary directory named in
# .build/postgres-test.path instead.
set -euo pipefail
cd "$(dirname "$0")/.."
pointer="$PWD/.build/postgres-test.path"
root="$(cat "$pointer" 2>/dev/null || echo "$PWD/.build/postgres-test")"
bin="$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")"
[ -x "$bin/initdb" ] || { echo "error: PostgreSQL's initdb is not installed (apt-get install postgresql)" >&2; exit 69; }
# From / : the postgres user may not be able to enter the checkout, and psql and pg_ctl complain when they cannot.
as_server_user() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
user="$( [ "$(id -u)" -eq 0 ] && echo postgres || id -un)"

case "${1:-}" in
start)
    if [ -f "$root/data/postmaster.pid" ]; then as_server_user "$bin/pg_ctl" -D "$root/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$root"
    root="$PWD/.build/postgres-test"
    mkdir -p "$root"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$root"
        runuser -u postgres -- test -w "$root" || { rm -rf "$root"; root="$(mktemp -d /tmp/herald-postgres-test.XXXXXX)"; chown postgres: "$root"; }
    fi
    echo "$root" >"$pointer"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_server_user "$bin/initdb" -D "$root/data" -U "$user" -A trust -E UTF8 --no-sync >"$root/initdb.log" 2>&1 \
        || { cat "$root/initdb.log" >&2; exit 1; }
    as_server_user "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $root -c max_connections=400 -c fsync=off -c synchronous_commit=off" \
        start >/dev/null || { cat "$root/server.log" >&2; exit 1; }
    echo "postgres://$user@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -f "$root/data/postmaster.pid" ]; then as_server_user "$bin/pg_ctl" -D "$root/data" -m fast -w stop >/dev/null; fi
    rm -rf "$root" "$pointer"
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 64
    ;;
esac
