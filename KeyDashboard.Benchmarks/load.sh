#!/usr/bin/env bash
# Load test: the app in Release on 127.0.0.1 with a temporary data folder, driven by wrk for 10 s each against
# unauthenticated GET /health (the baseline) and key-authenticated GET /api/v1/me. Needs wrk (apt-get install wrk).
# Usage: KeyDashboard.Benchmarks/load.sh   (PORT, CONNECTIONS, DURATION and THREADS can be overridden)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-5799}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
URL="http://127.0.0.1:$PORT"

command -v wrk > /dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
dotnet build KeyDashboard/KeyDashboard.csproj -c Release -v q -nologo > /dev/null

DATA=$(mktemp -d)
OUT=$(mktemp -d)
BIN="$PWD/KeyDashboard/bin/Release/net10.0"
# The demo data prints one key with every scope; the per-key limit is raised so wrk measures the API, not the limiter.
(cd "$BIN" && exec env ASPNETCORE_ENVIRONMENT=Production \
    KeyDashboard__DataDirectory="$DATA" KeyDashboard__SeedDemoData=true \
    KeyDashboard__Api__RateLimit__RequestsPerMinutePerKey=1000000000 \
    Logging__LogLevel__Default=Warning \
    dotnet KeyDashboard.dll --urls "$URL" > "$DATA/app.log" 2>&1) &
APP=$!
trap 'kill "$APP" 2> /dev/null; wait "$APP" 2> /dev/null; rm -rf "$DATA" "$OUT"' EXIT

for _ in $(seq 1 240); do
    curl -fs "$URL/health" > /dev/null 2>&1 && break
    kill -0 "$APP" 2> /dev/null || { cat "$DATA/app.log" >&2; exit 1; }
    sleep 0.5
done
KEY=$(grep -m1 -oE 'kd_test_[A-Za-z0-9]{38}' "$DATA/app.log")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$URL/api/v1/me")" = 200 ] || { echo "the demo key was refused" >&2; exit 1; }

run() { # name, then wrk's arguments
    local name=$1; shift
    wrk -t1 -c8 -d3s "$@" > /dev/null # warm-up: JIT, connection pools, the verified-key cache
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" > "$OUT/$name.txt"
}
run health "$URL/health"
run me -H "Authorization: Bearer $KEY" "$URL/api/v1/me"

rps() { awk '/^Requests\/sec/ { print $2 }' "$OUT/$1.txt"; }
percentile() { awk -v p="$2%" '$1 == p { print $2 }' "$OUT/$1.txt"; }
non2xx() { awk '/Non-2xx/ { print $NF }' "$OUT/$1.txt"; }

echo "wrk, $THREADS threads, $CONNECTIONS connections, $DURATION each, $(nproc) cores, $(date -u +%Y-%m-%d)"
printf '%-28s %12s %10s %10s\n' endpoint requests/s p50 p99
for name in health me; do
    label=$([ "$name" = health ] && echo "GET /health" || echo "GET /api/v1/me (key)")
    printf '%-28s %12s %10s %10s\n' "$label" "$(rps "$name")" "$(percentile "$name" 50)" "$(percentile "$name" 99)"
    [ -z "$(non2xx "$name")" ] || echo "  non-2xx answers: $(non2xx "$name")"
done
awk -v a="$(rps me)" -v b="$(rps health)" 'BEGIN { printf "throughput ratio (me / health): %.2f\n", a / b }'
