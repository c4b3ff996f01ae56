#!/usr/bin/env bash
# One benchmark of the whole path: starts its own Azurite and local host (fresh storage, free ports), then
# measures on the same images and greedy decoding: in-process captioning (the baseline), the upload path
# (upload -> result), a forced bulk job, the encoder network alone in fp32 and int8, and a 12-megapixel
# JPEG's decode. Prints a table and, last, one JSON line. Stops everything it started.
#   ./scripts/bench-pipeline.sh IMAGES_DIR COUNT [--precision auto|fp32|int8] [--quick] [--no-build]
# --precision sets the encoder of the host and of the in-process baseline alike (default auto: int8 on the CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ $# -lt 2 ]; then
  echo "usage: $0 IMAGES_DIR COUNT [--precision auto|fp32|int8] [--quick] [--no-build]" >&2
  exit 2
fi
images=$(cd "$1" && pwd); count=$2; shift 2
quick=""; build=1; precision=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick="--quick" ;;
    --no-build) build=0 ;;
    --precision) precision=${2:-}; shift ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$precision" in auto|fp32|int8) ;; *) echo "error: --precision must be auto, fp32 or int8" >&2; exit 2 ;; esac

if [ $build = 1 ]; then
  [ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
  dotnet build src/Captioner.LocalHost -c Release -v quiet -nologo
  dotnet build tests/Captioner.Benchmarks -c Release -v quiet -nologo
fi

# Four ports nobody listens on.
ports=()
while [ ${#ports[@]} -lt 4 ]; do
  port=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ ! " ${ports[*]} " =~ " $port " ]]; then ports+=("$port"); fi
done
blob_port=${ports[0]}; queue_port=${ports[1]}; table_port=${ports[2]}; http_port=${ports[3]}
data=$(mktemp -d)
azurite=""; host=""
stop() {
  trap "" INT TERM  # a second Ctrl+C must not cut the clean-up short (Azurite left running)
  [ -n "$host" ] && { kill "$host" 2>/dev/null || true; for _ in $(seq 1 50); do kill -0 "$host" 2>/dev/null || break; sleep 0.2; done; kill -9 "$host" 2>/dev/null || true; }
  [ -n "$azurite" ] && kill -9 "$azurite" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT
trap 'exit 130' INT TERM

node_modules/.bin/azurite --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" --location "$data/azurite" --skipApiVersionCheck --silent > "$data/azurite.log" 2>&1 &
azurite=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && break; sleep 0.2; done

connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
# No reconcile sweep during the run: it would add its own reads to the counts.
AzureWebJobsStorage="$connection" Captioner__SeedModel="$root/models/default" Captioner__ReconcileInterval="12:00:00" Captioner__Encoder__Precision="$precision" \
  ASPNETCORE_URLS="http://127.0.0.1:$http_port" dotnet src/Captioner.LocalHost/bin/Release/net10.0/linux-x64/Captioner.LocalHost.dll > "$data/host.log" 2>&1 &
host=$!
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$http_port/api/health" | grep -q '"model":"' && break
  kill -0 "$host" 2>/dev/null || { echo "error: the local host exited:" >&2; tail -20 "$data/host.log" >&2; exit 1; }
  sleep 0.5
done

dotnet tests/Captioner.Benchmarks/bin/Release/net10.0/linux-x64/Captioner.Benchmarks.dll pipeline \
  --images "$images" --count "$count" --connection "$connection" --api "http://127.0.0.1:$http_port" --precision "$precision" $quick
