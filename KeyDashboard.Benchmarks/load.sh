#!/usr/bin/env bash
# Load test: the app in Release on 127.0.0.1 with a temporary data folder, driven by wrk for 10 s each against
# unauthenticated GET /health/live (the baseline: the pipeline without authentication or database; /health reads and
# writes the database) and key-authenticated GET /api/v1/me, in alternating rounds after a
# warm-up; then REVOKES keys created and revoked through the API, timed. Needs wrk (apt-get install wrk).
# Usage: KeyDashboard.Benchmarks/load.sh   (PORT, CONNECTIONS, DURATION, THREADS, ROUNDS, WARMUP and REVOKES can be overridden)
#   DATABASE=postgresql  on a throw-away PostgreSQL cluster (Debian's postgresql), counting its transactions per round
#   URL=http://127.0.0.1:8080 KEY=kd_test_…  against a running app or cluster (deploy/cluster.sh) instead
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-5799}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-20s}
REVOKES=${REVOKES:-100}
DATABASE=${DATABASE:-sqlite}
OUT=$(mktemp -d)
PSQL=()
CLEANUP=("rm -rf '$OUT'")
trap 'for step in "${CLEANUP[@]}"; do eval "$step" 2> /dev/null || true; done' EXIT
trap 'exit 130' INT TERM

command -v wrk > /dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }

if [ -z "${URL:-}" ]; then
    URL="http://127.0.0.1:$PORT"
    dotnet build KeyDashboard/KeyDashboard.csproj -c Release -v q -nologo > /dev/null
    DATA=$(mktemp -d)
    CLEANUP=("rm -rf '$DATA'" "${CLEANUP[@]}")
    DB_SETTINGS=()
    if [ "$DATABASE" = postgresql ]; then
        BINDIR=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
        PG=$(mktemp -d); chmod 755 "$PG"
        as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
        [ "$(id -u)" = 0 ] && chown postgres "$PG"
        PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        as_postgres "$BINDIR/initdb" -D "$PG/data" -U postgres --auth=trust > /dev/null
        as_postgres "$BINDIR/pg_ctl" -D "$PG/data" -l "$PG/log" -w -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PG" start > /dev/null
        CLEANUP=("as_postgres '$BINDIR/pg_ctl' -D '$PG/data' -m fast stop > /dev/null; rm -rf '$PG'" "${CLEANUP[@]}")
        PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAq)
        "${PSQL[@]}" -c "CREATE DATABASE keydashboard"
        DB_SETTINGS=(KeyDashboard__Database__Provider=PostgreSQL "ConnectionStrings__KeyDashboard=Host=127.0.0.1;Port=$PGPORT;Database=keydashboard;Username=postgres")
    fi
    BIN="$PWD/KeyDashboard/bin/Release/net10.0"
    # The demo data prints one key with every scope; the per-key limit is raised so wrk measures the API, not the limiter.
    (cd "$BIN" && exec env ASPNETCORE_ENVIRONMENT=Production "${DB_SETTINGS[@]}" \
        KeyDashboard__DataDirectory="$DATA" KeyDashboard__SeedDemoData=true \
        KeyDashboard__Api__RateLimit__RequestsPerMinutePerKey=1000000000 \
        Logging__LogLevel__Default=Warning \
        dotnet KeyDashboard.dll --urls "$URL" > "$DATA/app.log" 2>&1) &
    APP=$!
    CLEANUP=("kill $APP; wait $APP" "${CLEANUP[@]}")
    for _ in $(seq 1 240); do
        curl -fs "$URL/health" > /dev/null 2>&1 && break
        kill -0 "$APP" 2> /dev/null || { cat "$DATA/app.log" >&2; exit 1; }
        sleep 0.5
    done
    KEY=$(grep -m1 -oE 'kd_test_[A-Za-z0-9]{38}' "$DATA/app.log")
fi
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$URL/api/v1/me")" = 200 ] || { echo "the key was refused" >&2; exit 1; }
# PostgreSQL's count of committed and rolled-back transactions in the app's database: every statement outside an
# explicit transaction is one, so the difference over a round counts what the app asked of the database.
transactions() { [ ${#PSQL[@]} -gt 0 ] && "${PSQL[@]}" -d keydashboard -c "SELECT pg_stat_clear_snapshot(); SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'keydashboard'" | tail -1 || echo 0; }

# Warm-up until the JIT's tiered compilation has settled: measured too early, /me pays for compiling the
# authentication and authorization code that /health/live never runs.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$URL/health/live" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $KEY" "$URL/api/v1/me" > /dev/null

# Alternating rounds, so both endpoints see the same (shared, noisy) machine; the median round is reported.
for round in $(seq 1 "$ROUNDS"); do
    before=$(transactions)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$URL/health/live" > "$OUT/health-$round.txt"
    middle=$(transactions)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $KEY" "$URL/api/v1/me" > "$OUT/me-$round.txt"
    after=$(transactions)
    echo "$((middle - before)) $((after - middle))" > "$OUT/transactions-$round"
done

# Revocation: each call returns once every live instance has dropped the key (on PostgreSQL, has acknowledged it).
for i in $(seq 1 "$REVOKES"); do
    id=$(curl -fs -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d "{\"name\":\"bench-$i\",\"scopes\":[\"keys:read\"]}" "$URL/api/v1/keys" | grep -oE '"id":"[^"]+"' | head -1 | cut -d'"' -f4)
    curl -fs -o /dev/null -w '%{time_total}\n' -X DELETE -H "Authorization: Bearer $KEY" "$URL/api/v1/keys/$id" >> "$OUT/revokes"
done

rps() { awk '/^Requests\/sec/ { print $2 }' "$OUT/$1.txt"; }
# wrk prints latencies with units (us, ms, s); in milliseconds:
ms() { awk -v p="$2%" '$1 == p { v = $2; if (v ~ /us$/) v /= 1000; else if (v ~ /ms$/) v += 0; else v *= 1000; printf "%.2f", v }' "$OUT/$1.txt"; }
non2xx() { awk '/Non-2xx/ { print $NF }' "$OUT/$1.txt"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "wrk, $THREADS threads, $CONNECTIONS connections, $DURATION per endpoint per round, $ROUNDS rounds after ${WARMUP} warm-ups, $(nproc) cores, $(date -u +%Y-%m-%d)"
printf '%-6s %14s %9s %9s %14s %9s %9s %7s\n' round live/s p50 p99 "me (key)/s" p50 p99 ratio
for round in $(seq 1 "$ROUNDS"); do
    h=health-$round m=me-$round
    ratio=$(awk -v a="$(rps "$m")" -v b="$(rps "$h")" 'BEGIN { printf "%.2f", a / b }')
    printf '%-6s %14s %7sms %7sms %14s %7sms %7sms %7s\n' "$round" "$(rps "$h")" "$(ms "$h" 50)" "$(ms "$h" 99)" \
        "$(rps "$m")" "$(ms "$m" 50)" "$(ms "$m" 99)" "$ratio"
    echo "$ratio" >> "$OUT/ratios"; echo "$(ms "$m" 99)" >> "$OUT/me-p99"; echo "$(ms "$h" 99)" >> "$OUT/health-p99"
    for name in "$h" "$m"; do [ -z "$(non2xx "$name")" ] || echo "  $name: non-2xx answers: $(non2xx "$name")"; done
done
echo "median throughput ratio (me / live): $(median < "$OUT/ratios")   (target >= 0.90)"
if [ ${#PSQL[@]} -gt 0 ]; then
    for round in $(seq 1 "$ROUNDS"); do
        read -r h m < "$OUT/transactions-$round"
        echo "round $round: database transactions during /health/live $h, during /me $m (for $(awk '/requests in/ { print $1 }' "$OUT/me-$round.txt") requests)"
    done
fi
percentile() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; printf "%.1f", v[i] * 1000 }'; }
echo "revoke through the API ($REVOKES keys): p50 $(percentile 50 < "$OUT/revokes") ms, p99 $(percentile 99 < "$OUT/revokes") ms"
echo "median p99: me $(median < "$OUT/me-p99") ms, live $(median < "$OUT/health-p99") ms   (target for me < 2 ms)"
