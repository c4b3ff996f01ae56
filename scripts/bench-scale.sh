#!/usr/bin/env bash
# Bookkeeping at scale: starts its own Azurite, puts COUNT small generated images in `images` (there before the
# host, as a backlog a user points the product at), starts a local host, captions them once with a forced bulk
# job, then measures a non-forced bulk job over them, a sweep of the whole container (the reconcile job) and the
# idle host: seconds and the host's storage requests per image. Prints a table and, last, one JSON line
# (images, captionRequestsPerImage, skipRequestsPerImage, sweepRequestsPerImage, skipImagesPerSecond,
# sweepSeconds, idleRequestsPerSecond). Stops everything it started. --seed-results writes each image's result
# with the images, as the pipeline would, instead of captioning them (captionRequestsPerImage is then null): on this
# machine the emulator captions 100,000 images at ~13 images/s, so the largest runs measure a captioned backlog this way.
#   ./scripts/bench-scale.sh COUNT [--quick] [--seed-results] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ]; then
  echo "usage: $0 COUNT [--quick] [--seed-results] [--no-build]" >&2
  exit 2
fi
count=$1; shift
quick=""; build=1; seed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick="--quick" ;;
    --seed-results) seed="--seed-results" ;;
    --no-build) build=0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ $build = 1 ]; then
  [ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
  dotnet build src/Captioner.LocalHost -c Release -v quiet -nologo
  dotnet build tests/Captioner.Benchmarks -c Release -v quiet -nologo
fi

# shellcheck source=lib/bench-stack.sh
. scripts/lib/bench-stack.sh
benchmark=tests/Captioner.Benchmarks/bin/Release/net10.0/linux-x64/Captioner.Benchmarks.dll
bench_stack_storage
dotnet "$benchmark" scale seed --count "$count" --connection "$connection" $seed
# No sweep of the host's own during the run (it would caption beside the measured jobs): the sweep is measured as
# its own job, and the idle figure adds its cost at the default interval of one a minute.
bench_stack_host Captioner__ReconcileInterval="12:00:00"
dotnet "$benchmark" scale --count "$count" --connection "$connection" --api "http://127.0.0.1:$http_port" $quick $seed
