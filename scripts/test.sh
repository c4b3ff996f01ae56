#!/usr/bin/env bash
# The test command: builds everything and runs every test project, from a clean checkout.
# Needs the .NET 10 SDK, Node.js/npm and the package feeds; the set-up it needs happens here.
# Heavy runs (full Flickr8k training, benchmarks) are not part of it: see README and docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# Azurite (the storage emulator the integration tests start) comes from npm, pinned by package-lock.json.
npm ci --no-audit --no-fund --loglevel=error

# Headless Chromium for the page tests (tests/Captioner.EndToEnd.Tests/PageTests.cs): Debian's package, installed
# here once like Azurite above; CAPTIONER_CHROMIUM names another binary instead.
if [ -z "${CAPTIONER_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  as_root=""; [ "$(id -u)" -ne 0 ] && as_root="sudo"
  $as_root apt-get update -qq && $as_root apt-get install -y -qq --no-install-recommends chromium
fi
dotnet restore Captioner.Functions.sln
dotnet build Captioner.Functions.sln --no-restore -c Release

log=$(mktemp)
status=0
dotnet test Captioner.Functions.sln --no-build -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?

# One plain summary line over all test assemblies (from each assembly's "Total tests" block).
awk '/^ *Passed: +[0-9]+ *$/ { passed += $2 }
     /^ *Failed: +[0-9]+ *$/ { failed += $2 }
     /^ *Skipped: +[0-9]+ *$/ { skipped += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
# The failures again, last, where a CI log's tail shows them: each failed test's name and the first lines of its error.
if grep -q '^ *Failed [A-Za-z]' "$log"; then
  echo "Failed tests:"
  awk '/^ *Failed [A-Za-z]/ { shown = 0; print; keep = 1; next }
       keep && /^ *(Passed|Skipped) [A-Za-z]/ { keep = 0 }
       keep && shown < 12 { print; shown++ }' "$log"
fi
rm -f "$log"
exit $status
