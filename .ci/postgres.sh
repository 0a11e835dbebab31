#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL on loopback for the store tests:
#   .ci/postgres.sh start   -> prints the URL to use (HKBUDGET_TEST_POSTGRES)
#   .ci/postgres.sh stop
# Installs Debian's postgresql package when no server binaries are found. The cluster lives in
# a temporary folder, listens on 127.0.0.1 only, and trusts local connections (a test server).
set -euo pipefail
dir=${HKBUDGET_PG_DIR:-/tmp/hkbudget-ci-pg}
port=${HKBUDGET_PG_PORT:-54329}
bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    if [ -z "$(bindir)" ]; then
      echo "installing postgresql (Debian package)" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    fi
    bin=$(bindir)
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd -r -m postgres; fi
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -k $dir" start >&2 \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres hkbudget_test >&2
    echo "postgres://postgres@127.0.0.1:$port/hkbudget_test"
    ;;
  stop)
    bin=$(bindir)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
