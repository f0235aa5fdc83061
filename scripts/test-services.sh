#!/usr/bin/env bash
# Installs (when missing) and starts what the test suite needs, then prints the PostgreSQL URL:
#   - a PostgreSQL server on 127.0.0.1 (a private cluster, trust auth, port 54329 by default)
#   - Java 17 for Spark in local mode
#   - Debian's chromium, which the browser tests drive headless (tests/report)
# Idempotent: a second call finds the server running and only prints the URL.
set -euo pipefail
port=${ROWSIFT_PG_PORT:-54329}
data=${ROWSIFT_PG_DATA:-/tmp/rowsift-test-pg}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-services: $* missing and not root; install it by hand" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
command -v chromium >/dev/null 2>&1 || apt_install chromium
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q; then
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres "$data"
    as_postgres "$bin/initdb" -D "$data" -A trust -U postgres >/dev/null
  fi
  as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$port/postgres"
