#!/usr/bin/env bash
# Runs every test project of the solution and prints one closing line "N passed, N failed" summed over all of them.
# The tests start their own redis-server processes on free ports; this script only makes sure the binary exists.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing redis-server (apt-get)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is missing: install it (e.g. sudo apt-get install -y redis-server) and run again" >&2
    exit 1
  fi
fi

# tests/Web.BrowserTests drive Debian's chromium (Playwright with ExecutablePath, no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and fonts-noto-cjk (apt-get)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "chromium is missing: install it (e.g. sudo apt-get install -y chromium fonts-noto-cjk) and run again" >&2
    exit 1
  fi
fi

configuration="${CONFIGURATION:-Release}"
results="TestResults"
rm -rf "$results"

dotnet tool restore >/dev/null || { echo "0 passed, 1 failed"; exit 1; }  # pwsh for the tye-free-run.ps1 test
dotnet build DaprReservations.sln -c "$configuration" -nologo -v minimal || { echo "0 passed, 1 failed"; exit 1; }

dotnet test DaprReservations.sln -c "$configuration" --no-build -nologo \
  --logger "trx" --results-directory "$results" --blame-hang-timeout 5m "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a test host that crashed writes no failed count
# Kept as artifacts: one PNG per browser scenario step (English and Korean) and the pages' error answers.
[ -d "$results/screenshots" ] && echo "browser screenshots: $results/screenshots ($(ls "$results/screenshots" | grep -c '\.png$') files)"
echo "$passed passed, $failed failed"
exit "$status"
