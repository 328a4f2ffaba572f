#!/usr/bin/env bash
# Sign-in timing: does a wrong password tell which accounts exist? Builds the app in Release, starts it on 127.0.0.1
# with a temporary data folder and the demo data, and posts the login form as a browser does (the page first, for its
# antiforgery cookie and token): wrong passwords for a real account (owner@example.com) and for addresses with no
# account, alternately, after a warm-up. Prints both medians and how much they differ (the target is under 20 %).
# The sign-in limits are raised so every try checks a password: a refused try checks none, for either kind.
# Usage: KeyDashboard.Benchmarks/sign-in-timing.sh   (PORT, TRIES and WARMUP can be overridden; NO_BUILD=1 skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-5798}
TRIES=${TRIES:-20}
# Enough for the JIT to settle: after 5 warm-ups both kinds still split between a 60 ms and a 90 ms cluster.
WARMUP=${WARMUP:-60}
URL="http://127.0.0.1:$PORT"
ACCOUNT=owner@example.com

[ -n "${NO_BUILD:-}" ] || dotnet build KeyDashboard/KeyDashboard.csproj -c Release -v q -nologo > /dev/null

DATA=$(mktemp -d)
BIN="$PWD/KeyDashboard/bin/Release/net10.0"
(cd "$BIN" && exec env ASPNETCORE_ENVIRONMENT=Production \
    KeyDashboard__DataDirectory="$DATA" KeyDashboard__SeedDemoData=true \
    KeyDashboard__SignIn__FailuresPerAddress=1000000 KeyDashboard__SignIn__FailuresBeforeDelay=1000000 \
    KeyDashboard__SignIn__LockoutAfterFailures=1000000 \
    Logging__LogLevel__Default=Warning \
    dotnet KeyDashboard.dll --urls "$URL" > "$DATA/app.log" 2>&1) &
APP=$!
trap 'kill "$APP" 2> /dev/null; wait "$APP" 2> /dev/null; rm -rf "$DATA"' EXIT

for _ in $(seq 1 240); do
    curl -fs "$URL/health" > /dev/null 2>&1 && break
    kill -0 "$APP" 2> /dev/null || { cat "$DATA/app.log" >&2; exit 1; }
    sleep 0.5
done

# One wrong-password sign-in for $1; prints the POST's time in milliseconds.
attempt() {
    local jar="$DATA/cookies" body="$DATA/body" token timing
    rm -f "$jar"
    curl -s -o "$body" -c "$jar" -b "$jar" "$URL/Account/Login"
    token=$(grep -m1 -oE 'name="__RequestVerificationToken" value="[^"]+"' "$body" | sed 's/.*value="//; s/"$//')
    timing=$(curl -s -o "$body" -w '%{time_total} %{http_code}' -c "$jar" -b "$jar" \
        --data-urlencode "_handler=login" --data-urlencode "__RequestVerificationToken=$token" \
        --data-urlencode "Input.Email=$1" --data-urlencode "Input.Password=Not-the-password-1" "$URL/Account/Login")
    [ "${timing#* }" = 200 ] && grep -q 'Invalid login attempt' "$body" || { echo "unexpected answer for $1: $timing" >&2; exit 1; }
    awk -v t="${timing% *}" 'BEGIN { printf "%.1f\n", t * 1000 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for i in $(seq 1 "$WARMUP"); do attempt "$ACCOUNT" > /dev/null; attempt "warmup-$i@example.com" > /dev/null; done
for i in $(seq 1 "$TRIES"); do
    attempt "$ACCOUNT" >> "$DATA/known"
    attempt "nobody-$i-$RANDOM@example.com" >> "$DATA/unknown"
done

known=$(median < "$DATA/known")
unknown=$(median < "$DATA/unknown")
echo "sign-in with a wrong password, $TRIES tries each after $WARMUP warm-ups, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "real account ($ACCOUNT): median $known ms   (all: $(sort -g "$DATA/known" | tr '\n' ' '))"
echo "unknown addresses:       median $unknown ms   (all: $(sort -g "$DATA/unknown" | tr '\n' ' '))"
awk -v a="$known" -v b="$unknown" 'BEGIN {
    hi = a > b ? a : b; lo = a > b ? b : a; d = (hi / lo - 1) * 100
    printf "ratio real / unknown: %.2f; the medians differ by %.1f %% (target < 20 %%)\n", a / b, d
    exit d < 20 ? 0 : 1 }'
