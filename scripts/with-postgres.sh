#!/bin/sh
# Runs a command beside a throw-away PostgreSQL server: installs postgresql when missing (apt-get),
# initdb + pg_ctl in a temporary folder on a Unix socket there, exports PROMPTSITE_TEST_PG, runs the
# command and stops the server and removes the folder also when the command fails. As root the server
# runs as `nobody` (PostgreSQL refuses root). Without a server the command still runs: the database
# tests skip with a message.
set -u

find_bin() {
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/bin /usr/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
    done
    return 1
}

BIN=$(find_bin)
if [ -z "$BIN" ] && command -v apt-get >/dev/null 2>&1; then
    echo "with-postgres: installing postgresql for the database tests"
    if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null; } \
        || echo "with-postgres: apt-get could not install postgresql"
    BIN=$(find_bin)
fi
if [ -z "$BIN" ]; then
    echo "with-postgres: SKIPPED the database tests, PostgreSQL is not installed (initdb and pg_ctl not found)"
    exec "$@"
fi

DIR=$(mktemp -d /tmp/promptsite-pg.XXXXXX)
chmod 755 "$DIR"
if [ "$(id -u)" = "0" ]; then
    chown nobody "$DIR"
    as_server() { runuser -u nobody -- "$@"; }
else
    as_server() { "$@"; }
fi
stop() {
    as_server "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$DIR"
}
trap stop EXIT
trap 'exit 130' INT TERM

if as_server "$BIN/initdb" -D "$DIR/data" -U promptsite --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
    && as_server "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-k $DIR -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null 2>&1; then
    PROMPTSITE_TEST_PG="postgresql:///postgres?host=$DIR&user=promptsite"
    export PROMPTSITE_TEST_PG
    echo "with-postgres: PostgreSQL ($BIN) on the socket in $DIR"
else
    echo "with-postgres: SKIPPED the database tests, the server did not start:"
    cat "$DIR/initdb.log" "$DIR/server.log" 2>/dev/null | tail -n 5
fi
"$@"
