#!/usr/bin/env bash
# Load test: the app in Release on 127.0.0.1 with a temporary data folder, driven by wrk for 10 s each against
# unauthenticated GET /health (the baseline) and key-authenticated GET /api/v1/me, in alternating rounds after a
# warm-up. Needs wrk (apt-get install wrk).
# Usage: KeyDashboard.Benchmarks/load.sh   (PORT, CONNECTIONS, DURATION, THREADS, ROUNDS and WARMUP can be overridden)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-5799}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-20s}
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

# Warm-up until the JIT's tiered compilation has settled: measured too early, /me pays for compiling the
# authentication and authorization code that /health never runs.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$URL/health" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $KEY" "$URL/api/v1/me" > /dev/null

# Alternating rounds, so both endpoints see the same (shared, noisy) machine; the median round is reported.
for round in $(seq 1 "$ROUNDS"); do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$URL/health" > "$OUT/health-$round.txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $KEY" "$URL/api/v1/me" > "$OUT/me-$round.txt"
done

rps() { awk '/^Requests\/sec/ { print $2 }' "$OUT/$1.txt"; }
# wrk prints latencies with units (us, ms, s); in milliseconds:
ms() { awk -v p="$2%" '$1 == p { v = $2; if (v ~ /us$/) v /= 1000; else if (v ~ /ms$/) v += 0; else v *= 1000; printf "%.2f", v }' "$OUT/$1.txt"; }
non2xx() { awk '/Non-2xx/ { print $NF }' "$OUT/$1.txt"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "wrk, $THREADS threads, $CONNECTIONS connections, $DURATION per endpoint per round, $ROUNDS rounds after ${WARMUP} warm-ups, $(nproc) cores, $(date -u +%Y-%m-%d)"
printf '%-6s %14s %9s %9s %14s %9s %9s %7s\n' round health/s p50 p99 "me (key)/s" p50 p99 ratio
for round in $(seq 1 "$ROUNDS"); do
    h=health-$round m=me-$round
    ratio=$(awk -v a="$(rps "$m")" -v b="$(rps "$h")" 'BEGIN { printf "%.2f", a / b }')
    printf '%-6s %14s %7sms %7sms %14s %7sms %7sms %7s\n' "$round" "$(rps "$h")" "$(ms "$h" 50)" "$(ms "$h" 99)" \
        "$(rps "$m")" "$(ms "$m" 50)" "$(ms "$m" 99)" "$ratio"
    echo "$ratio" >> "$OUT/ratios"; echo "$(ms "$m" 99)" >> "$OUT/me-p99"; echo "$(ms "$h" 99)" >> "$OUT/health-p99"
    for name in "$h" "$m"; do [ -z "$(non2xx "$name")" ] || echo "  $name: non-2xx answers: $(non2xx "$name")"; done
done
echo "median throughput ratio (me / health): $(median < "$OUT/ratios")   (target >= 0.90)"
echo "median p99: me $(median < "$OUT/me-p99") ms, health $(median < "$OUT/health-p99") ms   (target for me < 2 ms)"
