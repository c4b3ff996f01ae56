#!/usr/bin/env bash
# One benchmark of the whole path: starts its own Azurite and local host (fresh storage, free ports), then
# measures on the same images and greedy decoding: in-process captioning (the baseline), the upload path
# (upload -> result), a forced bulk job, the encoder network alone in fp32 and int8, and a 12-megapixel
# JPEG's decode, and the worker's own CPU per image on each path (the host process's, from /proc) against in-process
# captioning's (uploadWorkerCpuRatio, bulkWorkerCpuRatio). Prints a table and, last, one JSON line. Stops everything
# it started.
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

# shellcheck source=lib/bench-stack.sh
. scripts/lib/bench-stack.sh
bench_stack_storage
# No reconcile sweep during the run: it would add its own reads to the counts.
bench_stack_host Captioner__ReconcileInterval="12:00:00" Captioner__Encoder__Precision="$precision"

dotnet tests/Captioner.Benchmarks/bin/Release/net10.0/linux-x64/Captioner.Benchmarks.dll pipeline \
  --images "$images" --count "$count" --connection "$connection" --api "http://127.0.0.1:$http_port" --host-pid "$host" --precision "$precision" $quick
