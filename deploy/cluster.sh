#!/usr/bin/env bash
# A local cluster: the app published in Release, a throw-away PostgreSQL database, three instances on 127.0.0.1 and
# HAProxy in front of them (deploy/haproxy.cfg). Ctrl+C stops everything and deletes the database.
# Usage: deploy/cluster.sh [--no-publish]   (--no-publish reuses the last publish; HAProxy listens on
# KEYDASHBOARD_CLUSTER_PORT, 8080 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

publish=true
case "${1:-}" in
    "") ;;
    --no-publish) publish=false ;;
    *) echo "Usage: deploy/cluster.sh [--no-publish]" >&2; exit 2 ;;
esac

state=$PWD/deploy/.cluster
app=$state/app
logs=$state/logs
port=${KEYDASHBOARD_CLUSTER_PORT:-8080}
root=false
[ "$(id -u)" -eq 0 ] && root=true

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1; }
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
missing=()
[ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
[ -x "$haproxy" ] || missing+=(haproxy)
command -v curl > /dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    if $root && command -v apt-get > /dev/null; then
        echo "Installing ${missing[*]} ..."
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
        haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
    else
        echo "deploy/cluster.sh needs ${missing[*]}: sudo apt-get install -y ${missing[*]} (or run it as root on Debian, which installs them)." >&2
        exit 1
    fi
fi
command -v dotnet > /dev/null || { echo "deploy/cluster.sh needs the .NET 10 SDK (dotnet)." >&2; exit 1; }
pg=$(pg_bin)

in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
free_port() { local p=$1; while in_use "$p"; do p=$((p + 1)); done; echo "$p"; }
if in_use "$port"; then
    echo "127.0.0.1:$port is taken: set KEYDASHBOARD_CLUSTER_PORT to a free port." >&2
    exit 1
fi

if $publish; then
    echo "Publishing the app to $app ..."
    rm -rf "$app"
    dotnet publish KeyDashboard -c Release -o "$app" -nologo -v q
elif [ ! -f "$app/KeyDashboard.dll" ]; then
    echo "Nothing published in $app yet: run deploy/cluster.sh once without --no-publish." >&2
    exit 1
fi

rm -rf "$logs"
mkdir -p "$logs"
run=$(mktemp -d /tmp/keydashboard-cluster.XXXXXX)
declare -A pid=()

# PostgreSQL refuses to run as root: as root, its cluster belongs to the postgres account.
as_postgres() { if $root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

stop() {
    trap '' INT TERM
    trap - EXIT
    set +e
    echo "Stopping HAProxy, the instances and PostgreSQL ..."
    [ ${#pid[@]} -eq 0 ] || kill -TERM "${pid[@]}" 2> /dev/null
    wait
    [ -f "$run/postgresql/data/postmaster.pid" ] && as_postgres "$pg/pg_ctl" -D "$run/postgresql/data" -m fast -w stop > /dev/null
    rm -rf "$run"
    echo "Stopped. The logs stay in $logs."
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir "$run/postgresql"
if $root; then
    chmod 711 "$run"
    chown postgres "$run/postgresql"
fi
pg_port=$(free_port 5440)
as_postgres "$pg/initdb" -D "$run/postgresql/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 > "$logs/postgresql.log"
# Without -l the server logs to pg_ctl's standard output: this file, opened here, whoever may write the folder.
as_postgres "$pg/pg_ctl" -D "$run/postgresql/data" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $run/postgresql" >> "$logs/postgresql.log" 2>&1
as_postgres "$pg/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres keydashboard

# What every instance must share: the database and the pepper (without it, each would hash keys differently).
pepper=$(head -c 32 /dev/urandom | base64)
connection="Host=127.0.0.1;Port=$pg_port;Database=keydashboard;Username=postgres"

start_instance() { # name port
    mkdir "$run/$1"
    (cd "$app" && exec env \
        ASPNETCORE_URLS="http://127.0.0.1:$2" \
        KeyDashboard__Database__Provider=PostgreSQL \
        ConnectionStrings__KeyDashboard="$connection" \
        KeyDashboard__Keys__Pepper="$pepper" \
        KeyDashboard__DataDirectory="$run/$1" \
        KeyDashboard__TrustedProxies__0=127.0.0.1 \
        KeyDashboard__PublicUrl="http://127.0.0.1:$port" \
        KeyDashboard__SeedDemoData=true \
        dotnet KeyDashboard.dll > "$logs/$1.log" 2>&1) &
    pid[$1]=$!
}

wait_healthy() { # name port
    local path deadline=$((SECONDS + 300))
    for path in /health/live /health; do
        until curl -fs -o /dev/null "http://127.0.0.1:$2$path"; do
            if ! kill -0 "${pid[$1]}" 2> /dev/null || [ "$SECONDS" -ge "$deadline" ]; then
                echo "Instance $1 did not become healthy; the end of $logs/$1.log:" >&2
                tail -n 20 "$logs/$1.log" >&2
                exit 1
            fi
            sleep 0.5
        done
    done
}

export KEYDASHBOARD_CLUSTER_PORT=$port
export KEYDASHBOARD_PORT_A KEYDASHBOARD_PORT_B KEYDASHBOARD_PORT_C
KEYDASHBOARD_PORT_A=$(free_port 5101)
KEYDASHBOARD_PORT_B=$(free_port $((KEYDASHBOARD_PORT_A + 1)))
KEYDASHBOARD_PORT_C=$(free_port $((KEYDASHBOARD_PORT_B + 1)))

# The first instance migrates the empty database and seeds the demo alone; the others then find both done.
echo "Starting instance a on 127.0.0.1:$KEYDASHBOARD_PORT_A (migrates and seeds the database) ..."
start_instance a "$KEYDASHBOARD_PORT_A"
wait_healthy a "$KEYDASHBOARD_PORT_A"
echo "Starting instances b and c on 127.0.0.1:$KEYDASHBOARD_PORT_B and :$KEYDASHBOARD_PORT_C ..."
start_instance b "$KEYDASHBOARD_PORT_B"
start_instance c "$KEYDASHBOARD_PORT_C"
wait_healthy b "$KEYDASHBOARD_PORT_B"
wait_healthy c "$KEYDASHBOARD_PORT_C"

"$haproxy" -db -f deploy/haproxy.cfg > "$logs/haproxy.log" 2>&1 &
pid[haproxy]=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/health/live"; do
    kill -0 "${pid[haproxy]}" 2> /dev/null || { echo "HAProxy did not start:" >&2; cat "$logs/haproxy.log" >&2; exit 1; }
    sleep 0.2
done

cat << EOF

KeyDashboard is running at http://127.0.0.1:$port
  HAProxy: the dashboard sticks to one instance (cookie KDSERVER), /api/ goes round robin
  instances a, b, c on 127.0.0.1:$KEYDASHBOARD_PORT_A, :$KEYDASHBOARD_PORT_B, :$KEYDASHBOARD_PORT_C; PostgreSQL on 127.0.0.1:$pg_port (database keydashboard)
  logs: $logs/{a,b,c,haproxy,postgresql}.log

Sign in as owner@example.com with the password Demo-password-1 (the README lists the other demo accounts).
$(sed -n '/KeyDashboard demo API key/,/^==*$/p' "$logs/a.log")

Ctrl+C stops everything.
EOF

# An instance that stops is only reported: HAProxy's health check takes it out and the others go on.
while :; do
    wait -n "${pid[@]}" || true
    for name in "${!pid[@]}"; do
        kill -0 "${pid[$name]}" 2> /dev/null && continue
        echo "$name has stopped; see $logs/$name.log." >&2
        unset "pid[$name]"
        [ "$name" != haproxy ] || exit 1
    done
done
