#!/usr/bin/env bash
# The local stack, one command: Azurite (from npm), the app's containers and queues, the default
# model seeded into `models`, and the local host running the functions on the WebJobs trigger engine.
# Then it captions the sample photos through the stack to show it working. Ctrl+C stops everything.
#   ./scripts/start.sh [--no-demo]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
demo=1; [ "${1:-}" = "--no-demo" ] && demo=0

blob_port=${AZURITE_BLOB_PORT:-10000}; queue_port=${AZURITE_QUEUE_PORT:-10001}; table_port=${AZURITE_TABLE_PORT:-10002}
http_port=${CAPTIONER_HTTP_PORT:-7071}

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
mkdir -p out
for project in src/Captioner.LocalHost src/Captioner.Cli; do
  dotnet build "$project" -c Release -v quiet -nologo > out/build.log 2>&1 || { cat out/build.log >&2; exit 1; }
done

mkdir -p .azurite
node_modules/.bin/azurite --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" --location .azurite --skipApiVersionCheck --silent > out/azurite.log 2>&1 &
azurite=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && break
  sleep 0.2
done
kill -0 "$azurite" 2>/dev/null || { echo "Azurite did not start:" >&2; cat out/azurite.log >&2; exit 1; }
host=""
# Azurite's node process does not exit on SIGTERM: stop it (and the host) outright.
# The host goes first, while storage is still there to release its leases.
# Every kill may find its process gone already (Ctrl+C reaches the host too): under `set -e` a failing kill
# would end the script before Azurite is stopped.
stop() {
  trap "" INT TERM  # a second Ctrl+C must not cut the clean-up short (Azurite left running)
  if [ -n "$host" ]; then
    kill "$host" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$host" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$host" 2>/dev/null || true
  fi
  kill -9 "$azurite" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "stopped"
}
trap stop EXIT
trap 'exit 130' INT TERM

export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
export Captioner__SeedModel="$root/models/default"
# The host's whole log goes to a file; the console shows only its warnings and errors (with their detail lines)
# and anything it prints outside the logger, so the demo's captions stand alone. --urls rather than ASPNETCORE_URLS:
# the host's in-process Durable Task sidecar would read the variable too and warn that it listens elsewhere.
log="$root/out/local-host.log"
: > "$log"
console_filter='/^(warn|fail|crit): /{show=1; print; fflush(); next} /^(info|dbug|trce): /{show=0; next} /^[ \t]/{if (show) {print; fflush()}; next} {print; fflush()}'
dotnet src/Captioner.LocalHost/bin/Release/net10.0/linux-x64/Captioner.LocalHost.dll --urls "http://127.0.0.1:$http_port" \
  > >(tee -a "$log" | awk "$console_filter") 2>&1 &
host=$!

for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$http_port/api/health" >/dev/null 2>&1 && break
  sleep 0.5
done
echo "local stack up: storage on 127.0.0.1:$blob_port/$queue_port/$table_port, API on http://127.0.0.1:$http_port"
echo "  log:     $log (warnings and errors also here; Azurite's in out/azurite.log)"
echo "  page:    http://127.0.0.1:$http_port/  (loopback only; no key needed locally)"
echo "  upload:  dotnet src/Captioner.Cli/bin/Release/net10.0/linux-x64/captioner.dll submit PHOTOS... --wait"
echo "  bulk:    curl -X POST http://127.0.0.1:$http_port/api/bulk -H 'Content-Type: application/json' -d '{\"container\":\"images\",\"prefix\":\"\"}'"

if [ $demo = 1 ] && [ -d ../shared/data/samples ]; then
  echo "captioning the sample photos through the stack:"
  dotnet src/Captioner.Cli/bin/Release/net10.0/linux-x64/captioner.dll submit ../shared/data/samples/*.png ../shared/data/samples/*.jpg --prefix samples --wait || true
fi
echo "running; Ctrl+C stops Azurite and the host"
wait "$host"
